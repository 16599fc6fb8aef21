// A three.js scene (WebGPURenderer, unmodified) in a desktop window, turned with OrbitControls.
// Run: npx tsx examples/three-window.ts [--frames N] [--close] [--fps]
// three.js finds what it expects in a browser: navigator.gpu and the GPU* constants (installGlobals),
// a canvas with getContext("webgpu"), style and clientWidth, pointer events on the canvas and its
// ownerDocument, and self.requestAnimationFrame for its animation loop.
import * as THREE from "three/webgpu";
import { OrbitControls } from "three/examples/jsm/controls/OrbitControls.js";
import { createWindow, installGlobals } from "wgpu-ts";

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : (process.argv[i + 1] ?? "");
}

installGlobals();
const frames = flag("--frames") === undefined ? Infinity : Number(flag("--frames"));
const canvas = createWindow({ width: 800, height: 600, title: "wgpu-ts: three.js", vsync: !process.argv.includes("--no-vsync") });

const renderer = new THREE.WebGPURenderer({ canvas: canvas as unknown as HTMLCanvasElement, antialias: true });
await renderer.init();
renderer.setSize(canvas.clientWidth, canvas.clientHeight, false);
renderer.setPixelRatio(canvas.width / canvas.clientWidth);

const scene = new THREE.Scene();
scene.background = new THREE.Color(0x202830);
const camera = new THREE.PerspectiveCamera(50, canvas.clientWidth / canvas.clientHeight, 0.1, 100);
camera.position.set(3, 2.5, 4);
const knot = new THREE.Mesh(
  new THREE.TorusKnotGeometry(0.8, 0.28, 160, 24),
  new THREE.MeshStandardMaterial({ color: 0xe07030, roughness: 0.35, metalness: 0.2 }),
);
scene.add(knot);
const ground = new THREE.Mesh(new THREE.PlaneGeometry(8, 8), new THREE.MeshStandardMaterial({ color: 0x556070 }));
ground.rotation.x = -Math.PI / 2;
ground.position.y = -1.3;
scene.add(ground);
scene.add(new THREE.HemisphereLight(0xffffff, 0x303040, 1.2));
const sun = new THREE.DirectionalLight(0xffffff, 2);
sun.position.set(3, 5, 2);
scene.add(sun);

const controls = new OrbitControls(camera, canvas as unknown as HTMLElement);
controls.enableDamping = true;
const cameraAt = () => camera.position.toArray().map((v) => Number(v.toFixed(3)));
controls.addEventListener("end", () => console.log(JSON.stringify({ orbit: cameraAt() })));

canvas.addEventListener("resize", () => {
  camera.aspect = canvas.clientWidth / canvas.clientHeight;
  camera.updateProjectionMatrix();
  renderer.setSize(canvas.clientWidth, canvas.clientHeight, false);
});
canvas.addEventListener("keydown", (e) => {
  if ((e as KeyboardEvent).key === "Escape") canvas.close();
});

let frame = 0;
let since = performance.now();
let counted = 0;
renderer.setAnimationLoop((time: number) => {
  knot.rotation.y = time / 1000;
  controls.update();
  renderer.render(scene, camera);
  frame++;
  counted++;
  if (frame === 1) console.log(JSON.stringify({ three: THREE.REVISION, width: canvas.width, height: canvas.height, camera: cameraAt() }));
  const now = performance.now();
  if (process.argv.includes("--fps") && now - since >= 1000) {
    console.log(`fps: ${((counted * 1000) / (now - since)).toFixed(1)}`);
    since = now;
    counted = 0;
  }
  if (frame >= frames) {
    renderer.setAnimationLoop(null);
    if (process.argv.includes("--close")) setImmediate(() => canvas.close());
  }
});
canvas.addEventListener("close", () => {
  renderer.setAnimationLoop(null);
  renderer.dispose();
});
