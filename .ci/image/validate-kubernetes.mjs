// Validates Kubernetes manifests offline: node validate-kubernetes.mjs FILE.yaml...
// Each object is checked against the Kubernetes OpenAPI schema (kubernetes-models: types, enums, required
// fields) and walked along @kubernetes/client-node's typed models, which catch unknown (misspelt) fields;
// a kustomization must list files that exist; an echoack pod's grace period must outlast its drain delay plus
// drain timeout (the same rule as KubernetesManifestTest, so that an edited copy is checked too). Prints one line per valid object, an error per problem (exit 1).
// Needs kubernetes-models, @kubernetes/client-node and yaml installed next to it (kubernetes.sh copies it
// into the directory npm installed them in).
import { readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseAllDocuments } from "yaml";
import * as k8s from "@kubernetes/client-node";

let errors = 0, checked = 0;
const error = (file, msg) => { console.error(`${file}: ${msg}`); errors++; };

// unknown fields: walk the object along the client's attribute type maps
function unknownFields(value, type, path, out) {
  if (value == null) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) { if (Array.isArray(value)) value.forEach((v, i) => unknownFields(v, array[1], `${path}[${i}]`, out)); return; }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) { if (typeof value === "object") for (const [k, v] of Object.entries(value)) unknownFields(v, map[1], `${path}.${k}`, out); return; }
  const model = k8s[type];
  if (typeof model?.getAttributeTypeMap !== "function" || typeof value !== "object") return;
  const attributes = model.getAttributeTypeMap();
  for (const [key, v] of Object.entries(value)) {
    const attribute = attributes.find((a) => a.baseName === key);
    if (!attribute) out.push(`${path}.${key}: unknown field`);
    else unknownFields(v, attribute.type, `${path}.${key}`, out);
  }
}

// echoack's durations as its variables take them: 500ms, 2s, 1.5s, 1m, a bare number of seconds
function seconds(text) {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/i.exec(String(text));
  if (!m) return NaN;
  return Number(m[1]) * ({ ms: 0.001, s: 1, m: 60 }[(m[2] ?? "s").toLowerCase()]);
}

// SIGTERM, then the drain delay (serving, not ready), then the drain: all before the kubelet's SIGKILL, with
// 5 s to exit; the defaults where a variable is not set (delay 0, timeout 10 s)
const EXIT_MARGIN_SECONDS = 5;
function terminationProblems(obj) {
  const pod = obj.spec?.template?.spec;
  if (!pod) return [];
  const grace = pod.terminationGracePeriodSeconds ?? 30;
  const problems = [];
  for (const c of pod.containers ?? []) {
    const env = Object.fromEntries((c.env ?? []).filter((e) => "value" in e).map((e) => [e.name, e.value]));
    if (!("ECHOACK_DRAIN_DELAY" in env) && !("ECHOACK_DRAIN_TIMEOUT" in env)) continue;
    const command = c.lifecycle?.preStop?.exec?.command ?? [];
    const preStop = command[0] === "sleep" ? seconds(command[1]) : 0;   // the grace period counts from the hook
    const delay = preStop + seconds(env.ECHOACK_DRAIN_DELAY ?? "0s"), drain = seconds(env.ECHOACK_DRAIN_TIMEOUT ?? "10s");
    if (Number.isNaN(delay) || Number.isNaN(drain)) {
      problems.push(`container ${c.name}: ECHOACK_DRAIN_DELAY/ECHOACK_DRAIN_TIMEOUT not durations`);
    } else if (delay + drain + EXIT_MARGIN_SECONDS > grace) {
      problems.push(`container ${c.name}: terminationGracePeriodSeconds ${grace} is not above drain delay ${delay} s`
        + (preStop ? ` (preStop sleep included)` : "")
        + ` + drain timeout ${drain} s + ${EXIT_MARGIN_SECONDS} s to exit`);
    }
  }
  return problems;
}

for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length) { doc.errors.forEach((e) => error(file, `YAML: ${e.message}`)); continue; }
    const obj = doc.toJS();
    if (obj == null) continue;
    const { apiVersion, kind } = obj;
    if (typeof apiVersion !== "string" || typeof kind !== "string") { error(file, "no apiVersion/kind"); continue; }
    if (apiVersion.startsWith("kustomize.config.k8s.io/")) {   // not a cluster object: check what it lists
      for (const r of obj.resources ?? []) if (!existsSync(join(dirname(file), r))) error(file, `resource ${r} missing`);
      console.log(`${file}: ${kind} lists ${(obj.resources ?? []).length} resources, all present`);
      checked++; continue;
    }
    const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
    let Model;
    try {
      Model = (await import(`kubernetes-models/${group ? group + "/" : ""}${version}/${kind}`))[kind];
    } catch (e) { error(file, `unknown kind ${apiVersion} ${kind}`); continue; }
    const name = `${kind} ${obj.metadata?.name ?? "(no name)"}`;
    try {
      new Model(obj).validate();
    } catch (e) {
      error(file, `${name}: ${(e.errors ?? []).map((x) => `${x.instancePath} ${x.message}`).join("; ") || e.message}`);
      continue;
    }
    const clientType = version.charAt(0).toUpperCase() + version.slice(1) + kind;   // V1Deployment
    if (typeof k8s[clientType]?.getAttributeTypeMap !== "function") { error(file, `${name}: no model ${clientType}`); continue; }
    const unknown = [];
    unknownFields(obj, clientType, "", unknown);
    if (unknown.length) { unknown.forEach((u) => error(file, `${name}: ${u}`)); continue; }
    const termination = terminationProblems(obj);
    if (termination.length) { termination.forEach((t) => error(file, `${name}: ${t}`)); continue; }
    console.log(`${file}: ${apiVersion} ${name} valid`);
    checked++;
  }
}
if (checked === 0 && errors === 0) { console.error("no manifests given"); process.exit(1); }
process.exit(errors ? 1 : 0);
