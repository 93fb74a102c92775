process.stderr.write("her2: the chart-review command is not implemented yet\n");
process.exitCode = 2;
