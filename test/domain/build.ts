/** Small builders for HER2 domain tests: one line per record, defaults a pathologist would expect. */
import type {
  AntiHer2Therapy,
  Assessment,
  DiseaseEvent,
  DualIshRecord,
  FlagCode,
  Her2TestRecord,
  IhcRecord,
  IhcScore,
  InterpretationRecord,
  PatientInput,
  ReportedCall,
  SingleIshRecord,
  SpecimenInfo,
  UnreadableRecord,
} from "../../src/domain";
import { assess } from "../../src/domain";

export const AS_OF = "2026-11-25";
const SPECIMEN: SpecimenInfo = { reference: "Specimen/s1", label: "S-24-1234", collected: "2024-03-01" };

let counter = 0;
const nextSource = (): string => `Observation/o${++counter}`;

type Extra<T> = Partial<Omit<T, "method">>;

export function ihc(score: IhcScore | undefined, extra: Extra<IhcRecord> = {}): IhcRecord {
  return {
    method: "ihc",
    source: nextSource(),
    status: "final",
    date: "2024-03-02",
    specimen: SPECIMEN,
    score,
    ...extra,
  };
}

export function dual(
  ratio: number | undefined,
  her2PerCell: number | undefined,
  extra: Extra<DualIshRecord> = {},
): DualIshRecord {
  return {
    method: "ish-dual",
    source: nextSource(),
    status: "final",
    date: "2024-03-05",
    specimen: SPECIMEN,
    ratio,
    her2PerCell,
    cellsCounted: 40,
    ...extra,
  };
}

export function single(her2PerCell: number | undefined, extra: Extra<SingleIshRecord> = {}): SingleIshRecord {
  return {
    method: "ish-single",
    source: nextSource(),
    status: "final",
    date: "2024-03-05",
    specimen: SPECIMEN,
    her2PerCell,
    ...extra,
  };
}

export function interpretation(
  reported: ReportedCall | undefined,
  extra: Extra<InterpretationRecord> = {},
): InterpretationRecord {
  return {
    method: "interpretation",
    source: nextSource(),
    status: "final",
    date: "2024-03-06",
    specimen: SPECIMEN,
    reported,
    ...extra,
  };
}

export function unreadable(reason: string, extra: Extra<UnreadableRecord> = {}): UnreadableRecord {
  return {
    method: "unreadable",
    source: nextSource(),
    status: "final",
    date: "2024-03-02",
    reason,
    ...extra,
  };
}

export function event(
  kind: DiseaseEvent["kind"],
  date?: string,
  extra: Partial<DiseaseEvent> = {},
): DiseaseEvent {
  return { kind, date, source: `Condition/c${++counter}`, ...extra };
}

export function therapy(drug = "trastuzumab", extra: Partial<AntiHer2Therapy> = {}): AntiHer2Therapy {
  return { drug, source: `MedicationRequest/m${++counter}`, status: "active", ...extra };
}

/** A specimen other than the default one. */
export function specimen(label: string, collected?: string, bodySite?: string): SpecimenInfo {
  return { reference: `Specimen/${label}`, label, collected, bodySite };
}

export function patient(tests: Her2TestRecord[], more: Partial<PatientInput> = {}): PatientInput {
  return { patient: "Patient/p1", asOf: AS_OF, tests, events: [], therapies: [therapy()], ...more };
}

export function run(tests: Her2TestRecord[], more: Partial<PatientInput> = {}): Assessment {
  return assess(patient(tests, more));
}

export function codes(a: Assessment): FlagCode[] {
  return a.flags.map((f) => f.code);
}
