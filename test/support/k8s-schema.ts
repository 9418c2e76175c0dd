/**
 * Strict validation of Kubernetes objects against the API's schemas, with no cluster.
 *
 * kubernetes-models is generated from the API server's OpenAPI document. Its runtime
 * validators check types, formats and required fields, but not unknown fields: a misspelled
 * `replcas` passes them, and the API server would drop it without a word. Its TypeScript
 * declarations, generated from the same document, know every field, so each object is also
 * type-checked by the TypeScript compiler as an object literal of its kind: an unknown field
 * at any depth is then an error ("Object literal may only specify known properties").
 */
import path from 'node:path';
import ts from 'typescript';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { REPO_ROOT } from './paths.js';

export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: any;
};

/** Per apiVersion/kind: the runtime model, and the module and interface of its declaration. */
const KINDS: Record<string, { model: new (data: any) => { validate(): void }; module: string; type: string }> = {
  'apps/v1/Deployment': { model: Deployment, module: 'kubernetes-models/apps/v1/Deployment', type: 'IDeployment' },
  'apps/v1/StatefulSet': { model: StatefulSet, module: 'kubernetes-models/apps/v1/StatefulSet', type: 'IStatefulSet' },
  'v1/Service': { model: Service, module: 'kubernetes-models/v1/Service', type: 'IService' },
  'v1/PersistentVolumeClaim': {
    model: PersistentVolumeClaim,
    module: 'kubernetes-models/v1/PersistentVolumeClaim',
    type: 'IPersistentVolumeClaim',
  },
  'v1/Secret': { model: Secret, module: 'kubernetes-models/v1/Secret', type: 'ISecret' },
  'policy/v1/PodDisruptionBudget': {
    model: PodDisruptionBudget,
    module: 'kubernetes-models/policy/v1/PodDisruptionBudget',
    type: 'IPodDisruptionBudget',
  },
  'autoscaling/v2/HorizontalPodAutoscaler': {
    model: HorizontalPodAutoscaler,
    module: 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler',
    type: 'IHorizontalPodAutoscaler',
  },
  'networking.k8s.io/v1/NetworkPolicy': {
    model: NetworkPolicy,
    module: 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy',
    type: 'INetworkPolicy',
  },
  'networking.k8s.io/v1/Ingress': { model: Ingress, module: 'kubernetes-models/networking.k8s.io/v1/Ingress', type: 'IIngress' },
};

const label = (m: Manifest) => `${m.kind}/${m.metadata?.name}`;

function kindOf(manifest: Manifest) {
  const kind = KINDS[`${manifest.apiVersion}/${manifest.kind}`];
  if (!kind) throw new Error(`No schema for ${manifest.apiVersion} ${manifest.kind}: add it to KINDS in ${import.meta.url}`);
  return kind;
}

/** The virtual source file is placed in the repository so that node_modules resolves. */
const SOURCE = path.join(REPO_ROOT, 'test/support/__k8s-schema-check__.ts');
let previous: ts.Program | undefined;
/**
 * The declarations' source files, parsed once: a program reuses an old program's files only
 * when the host hands it the same objects, and then skips parsing and binding them again.
 */
const parsed = new Map<string, ts.SourceFile | undefined>();

/** TypeScript's verdict on each object as a literal of its kind: one line per error. */
function unknownFieldErrors(manifests: Manifest[]): string[] {
  const imports: string[] = [];
  const consts: string[] = [];
  manifests.forEach((manifest, i) => {
    const { module, type } = kindOf(manifest);
    imports.push(`import type { ${type} as T${i} } from '${module}';`);
    // Keys that are identifiers lose their quotes, so that errors read `replcas` and come
    // with TypeScript's "Did you mean 'replicas'?".
    const literal = JSON.stringify(manifest, null, 2).replace(/^(\s*)"([A-Za-z_$][\w$]*)":/gm, '$1$2:');
    consts.push(`export const m${i}: T${i} = ${literal};`);
  });
  const header = `${imports.join('\n')}\n`;
  const text = `${header}${consts.join('\n')}\n`;
  // Where each object starts in the text, to name the object an error is in.
  const starts: number[] = [];
  let offset = header.length;
  for (const c of consts) {
    starts.push(offset);
    offset += c.length + 1;
  }

  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
    lib: ['lib.es2023.d.ts'],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (file, language, ...rest) => {
    if (file === SOURCE) return ts.createSourceFile(file, text, language);
    const key = `${file}\0${JSON.stringify(language)}`;
    if (!parsed.has(key)) parsed.set(key, getSourceFile.call(host, file, language, ...rest));
    return parsed.get(key);
  };
  host.fileExists = (file) => file === SOURCE || fileExists.call(host, file);
  host.readFile = (file) => (file === SOURCE ? text : readFile.call(host, file));
  // Reusing the last program keeps the declarations parsed once across calls.
  const program = ts.createProgram({ rootNames: [SOURCE], options, host, oldProgram: previous });
  previous = program;
  const source = program.getSourceFile(SOURCE)!;
  return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((d) => {
    const at = d.start ?? 0;
    const index = starts.findLastIndex((start) => start <= at);
    const { line } = source.getLineAndCharacterOfPosition(at);
    const where = text.split('\n')[line]!.trim();
    const manifest = manifests[index];
    return `${manifest ? label(manifest) : 'imports'}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')} (at ${where})`;
  });
}

/**
 * Every problem the schemas find in these objects, one line each: none means valid.
 * Types, formats and required fields (the runtime validators), and unknown fields anywhere.
 */
export function schemaErrors(manifests: Manifest[]): string[] {
  const errors: string[] = [];
  for (const manifest of manifests) {
    try {
      new (kindOf(manifest).model)(manifest).validate();
    } catch (error) {
      errors.push(`${label(manifest)}: ${(error as Error).message}`);
    }
  }
  return [...errors, ...unknownFieldErrors(manifests)];
}
