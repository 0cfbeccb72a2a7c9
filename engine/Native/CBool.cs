using System.Runtime.InteropServices;

namespace ModelRunner.Engine.Native;

/// <summary>
/// C's one-byte <c>bool</c>. .NET marshals <see cref="bool"/> as a four-byte BOOL by default, which
/// would shift every field after it; this keeps native structs blittable and their layout exact.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 1)]
internal readonly struct CBool(bool value)
{
    private readonly byte _value = value ? (byte)1 : (byte)0;

    public static implicit operator bool(CBool value) => value._value != 0;

    public static implicit operator CBool(bool value) => new(value);

    public override string ToString() => ((bool)this).ToString();
}
