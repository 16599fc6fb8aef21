// The spec's [[ArrayBufferDetachKey]] for mapped ranges (https://www.w3.org/TR/webgpu/#dom-gpubuffer-getmappedrange):
// an ArrayBuffer over the engine's memory gets a detach key, so that user code cannot detach it
// (ArrayBuffer.prototype.transfer and structuredClone's transfer throw a TypeError, as in a
// browser) and so cannot make an alias that outlives unmap; wgpu-ts detaches it with the key at
// unmap, destroy and device loss. V8's API has no Node-API twin, so this is a V8 addon, built per
// Node ABI by scripts/build-native.sh (optional: without it mapped ranges are JS-owned copies).
#include <node.h>

namespace {

using v8::ArrayBuffer;
using v8::FunctionCallbackInfo;
using v8::Local;
using v8::Value;

bool arrayBuffer(const FunctionCallbackInfo<Value>& args) {
  if (args.Length() >= 2 && args[0]->IsArrayBuffer()) return true;
  args.GetIsolate()->ThrowException(v8::Exception::TypeError(
      v8::String::NewFromUtf8Literal(args.GetIsolate(), "wgpu-ts detach-key: expected (ArrayBuffer, key)")));
  return false;
}

// setDetachKey(buffer, key); `undefined` makes it detachable by anyone again.
void SetDetachKey(const FunctionCallbackInfo<Value>& args) {
  if (!arrayBuffer(args)) return;
  args[0].As<ArrayBuffer>()->SetDetachKey(args[1]);
}

// detach(buffer, key): true once detached (also when it already was).
void Detach(const FunctionCallbackInfo<Value>& args) {
  if (!arrayBuffer(args)) return;
  Local<ArrayBuffer> ab = args[0].As<ArrayBuffer>();
  if (ab->WasDetached()) return args.GetReturnValue().Set(true);
  if (!ab->IsDetachable()) return args.GetReturnValue().Set(false);
  bool ok = false;
  if (!ab->Detach(args[1]).To(&ok)) return;  // a wrong key: the TypeError V8 threw goes to the caller
  // The key goes with the memory: Node's own teardown may detach it again, without a key.
  ab->SetDetachKey(v8::Undefined(args.GetIsolate()));
  args.GetReturnValue().Set(ok);
}

}  // namespace

NODE_MODULE_INIT(/* exports, module, context */) {
  NODE_SET_METHOD(exports, "setDetachKey", SetDetachKey);
  NODE_SET_METHOD(exports, "detach", Detach);
}
