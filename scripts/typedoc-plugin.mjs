// TypeDoc plugin for wgpu-ts's reference: the API as a user sees it.
// - Members keyed by wgpu-ts's own symbols (the backend's internals: [HANDLE], [EMIT], ...) are
//   left out; the well-known symbols ([Symbol.dispose], [Symbol.iterator]) stay.
// - Constructors are left out of the classes that the spec gives none (objects made by a device,
//   an adapter or an encoder); the spec's constructible ones and GPUOffscreenCanvas keep theirs.
import { Converter, ReflectionKind } from "typedoc";

const constructible = new Set([
  "GPUError",
  "GPUValidationError",
  "GPUOutOfMemoryError",
  "GPUInternalError",
  "GPUPipelineError",
  "GPUUncapturedErrorEvent",
  "GPUOffscreenCanvas",
]);

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const project = context.project;
    for (const r of project.getReflectionsByKind(ReflectionKind.Property | ReflectionKind.Method | ReflectionKind.Accessor)) {
      if (/^\[(?!Symbol\.)/.test(r.name)) project.removeReflection(r);
    }
    for (const r of project.getReflectionsByKind(ReflectionKind.Constructor)) {
      if (r.parent && !constructible.has(r.parent.name)) project.removeReflection(r);
    }
  });
}
