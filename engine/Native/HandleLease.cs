using System.Runtime.InteropServices;

namespace ModelRunner.Engine.Native;

/// <summary>
/// Keeps a handle alive across a native call that takes a pointer it owns (a model's vocabulary,
/// a context's memory) rather than the handle itself, so a concurrent Dispose cannot free it mid-call.
/// </summary>
internal ref struct HandleLease
{
    private readonly SafeHandle _handle;
    private bool _added;

    public HandleLease(SafeHandle handle)
    {
        _handle = handle;
        handle.DangerousAddRef(ref _added);
    }

    public void Dispose()
    {
        if (_added)
        {
            _handle.DangerousRelease();
            _added = false;
        }
    }
}
