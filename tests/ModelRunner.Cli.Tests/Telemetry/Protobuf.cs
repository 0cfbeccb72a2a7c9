using System.Text;

namespace ModelRunner.Cli.Tests.Telemetry;

/// <summary>Reads length-delimited fields of a protobuf message by number; skips everything else.</summary>
internal static class Protobuf
{
    /// <summary>The bytes of every length-delimited field <paramref name="number"/> (sub-messages, strings, bytes).</summary>
    public static IEnumerable<byte[]> Messages(byte[] message, int number)
    {
        var position = 0;
        while (position < message.Length)
        {
            var key = Varint(message, ref position);
            var (field, wireType) = ((int)(key >> 3), (int)(key & 7));
            switch (wireType)
            {
                case 0:
                    Varint(message, ref position);
                    break;
                case 1:
                    position += 8;
                    break;
                case 5:
                    position += 4;
                    break;
                case 2:
                    var length = (int)Varint(message, ref position);
                    if (field == number)
                    {
                        yield return message[position..(position + length)];
                    }

                    position += length;
                    break;
                default:
                    throw new InvalidDataException($"wire type {wireType} at byte {position} is not protobuf this reader knows");
            }
        }
    }

    public static string String(byte[] message, int number) => Messages(message, number).Select(Encoding.UTF8.GetString).FirstOrDefault() ?? "";

    public static string Hex(byte[] message, int number) => Messages(message, number).Select(Convert.ToHexStringLower).FirstOrDefault() ?? "";

    private static ulong Varint(byte[] message, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
