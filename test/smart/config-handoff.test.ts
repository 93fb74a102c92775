import { readFileSync } from "node:fs";
import { http, HttpResponse } from "msw";
import { beforeEach, describe, expect, it } from "vitest";
import { handOverAppConfig, takeAppConfig } from "../../src/smart/config-handoff";
import { type AppConfig, ConfigError, parseAppConfig } from "../../src/smart/config";
import { server } from "../msw-server";

const shipped = JSON.parse(readFileSync("public/smart-config.json", "utf8")) as Record<string, unknown>;
const fromFile = parseAppConfig(shipped);
const launchPageConfig: AppConfig = { issuers: fromFile.issuers.slice(0, 1) };

let fetches: number;
beforeEach(() => {
  fetches = 0;
  server.use(
    http.get(/\/smart-config\.json$/, () => {
      fetches += 1;
      return HttpResponse.json(shipped);
    }),
  );
});

describe("smart-config.json hand-over from launch.html to index.html", () => {
  it("one launch fetches the file once: index.html takes what launch.html read", async () => {
    handOverAppConfig(launchPageConfig, 1_000);
    expect(await takeAppConfig(2_000)).toEqual(launchPageConfig);
    expect(fetches).toBe(0);
  });

  it("is taken once: a reload of index.html fetches the file", async () => {
    handOverAppConfig(launchPageConfig, 1_000);
    await takeAppConfig(2_000);
    expect(await takeAppConfig(3_000)).toEqual(fromFile);
    expect(fetches).toBe(1);
  });

  it("fetches the file when nothing was handed over", async () => {
    expect(await takeAppConfig()).toEqual(fromFile);
    expect(fetches).toBe(1);
  });

  it("fetches the file when the hand-over is older than ten minutes", async () => {
    handOverAppConfig(launchPageConfig, 0);
    expect(await takeAppConfig(10 * 60 * 1000 + 1)).toEqual(fromFile);
    expect(fetches).toBe(1);
  });

  it("fetches the file when the hand-over is not a valid configuration", async () => {
    sessionStorage.setItem("her2.app-config", JSON.stringify({ savedAt: 1, config: { issuers: [{}] } }));
    expect(await takeAppConfig(2)).toEqual(fromFile);
    sessionStorage.setItem("her2.app-config", "not json");
    expect(await takeAppConfig(2)).toEqual(fromFile);
    expect(fetches).toBe(2);
  });

  it("still fails loudly when it has to fetch and the file is invalid", async () => {
    server.use(http.get(/\/smart-config\.json$/, () => HttpResponse.json({ issuers: "none" })));
    await expect(takeAppConfig()).rejects.toBeInstanceOf(ConfigError);
  });
});
