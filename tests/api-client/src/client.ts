// A small API client as a vendor's script would write one: types generated from /openapi/v1.json by openapi-typescript
// (into src/generated/, by ApiClientJourneyTests), calls through openapi-fetch. Type-checked with strict: true, then run
// against the portal: PORTAL_URL, API_EMAIL, API_PASSWORD, VENDOR_ID, ROSTER_CSV (a roster file's path).
import { readFile } from "node:fs/promises";
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/schema.js";

type ValidationProblem = components["schemas"]["ValidationProblem"];

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function fail(step: string, status: number, body: unknown): never {
  throw new Error(`${step}: ${status} ${JSON.stringify(body)}`);
}

const baseUrl = env("PORTAL_URL");
const vendorId = env("VENDOR_ID");

const anonymous = createClient<paths>({ baseUrl });
const token = await anonymous.POST("/api/v1/auth/token", { body: { email: env("API_EMAIL"), password: env("API_PASSWORD") } });
if (!token.data) fail("token", token.response.status, token.error);
console.log(`token: expires ${token.data.expiresAt}`);

const api = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token.data.accessToken}` } });

// A paged list: page is a number, so the next page is arithmetic, not string concatenation.
const roster = await api.GET("/api/v1/vendors/{vendorId}/personnel", {
  params: { path: { vendorId }, query: { page: 1, pageSize: 2 } },
});
if (!roster.data) fail("list", roster.response.status, roster.error);
const nextPage: number = roster.data.page + 1;
console.log(`list: ${roster.data.items.length} of ${roster.data.total}, next page ${nextPage}`);

// One resource.
const first = roster.data.items[0];
if (!first) throw new Error("the roster is empty");
const person = await api.GET("/api/v1/personnel/{id}", { params: { path: { id: first.id } } });
if (!person.data) fail("read", person.response.status, person.error);
console.log(`read: ${person.data.fullName} (version ${person.data.version})`);

// A roster import dry run, as multipart/form-data with the file as a Blob.
const csv = await readFile(env("ROSTER_CSV"));
const dryRun = await api.POST("/api/v1/vendors/{vendorId}/roster-imports", {
  params: { path: { vendorId }, query: { dryRun: true } },
  body: { file: "roster.csv" },
  bodySerializer: (body) => {
    const form = new FormData();
    form.append("file", new Blob([csv], { type: "text/csv" }), body.file);
    return form;
  },
});
if (!dryRun.data) fail("dry run", dryRun.response.status, dryRun.error);
console.log(`dry run: ${dryRun.data.rows} rows, ${dryRun.data.accepted} accepted, dryRun ${dryRun.data.dryRun}, applied ${dryRun.data.applied}`);

// A 400 read through the generated types: the problem names the field.
const bad = await api.GET("/api/v1/vendors/{vendorId}/personnel", {
  params: { path: { vendorId }, query: { pageSize: 0 } },
});
if (bad.response.status !== 400 || !bad.error || !("errors" in bad.error)) fail("bad page size", bad.response.status, bad.error);
const problem: ValidationProblem = bad.error;
console.log(`400: pageSize: ${(problem.errors["pageSize"] ?? []).join(" ")} (trace ${problem.traceId})`);
console.log("client: ok");
