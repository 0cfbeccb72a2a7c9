using System.Text;
using ModelRunner.Api.Errors;

namespace ModelRunner.Api.Ollama;

/// <summary>
/// Reads Ollama's Modelfile syntax: one <c>INSTRUCTION argument</c> per line, <c>#</c> comments, arguments in
/// <c>"quotes"</c> or <c>"""triple quotes"""</c> (which may span lines).
/// </summary>
internal static class Modelfile
{
    private const string Triple = "\"\"\"";

    /// <exception cref="ApiException">A line is not an instruction, or a triple quote is never closed (400 naming <c>modelfile</c>).</exception>
    public static IReadOnlyList<ModelfileInstruction> Parse(string text)
    {
        var instructions = new List<ModelfileInstruction>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var space = line.IndexOfAny([' ', '\t']);
            if (space <= 0)
            {
                throw ApiException.Invalid($"modelfile line {i + 1}: '{line}' has no argument (expected INSTRUCTION argument)", "modelfile");
            }

            var name = line[..space].ToUpperInvariant();
            var argument = line[space..].Trim();
            if (argument.StartsWith(Triple, StringComparison.Ordinal))
            {
                var value = new StringBuilder(argument[Triple.Length..]);
                var start = i;
                while (!value.ToString().EndsWith(Triple, StringComparison.Ordinal) || value.Length < Triple.Length)
                {
                    if (++i >= lines.Length)
                    {
                        throw ApiException.Invalid($"modelfile line {start + 1}: the \"\"\" that opens {name}'s argument is never closed", "modelfile");
                    }

                    value.Append('\n').Append(lines[i]);
                }

                argument = value.ToString(0, value.Length - Triple.Length);
            }
            else if (argument.Length >= 2 && argument.StartsWith('"') && argument.EndsWith('"'))
            {
                argument = argument[1..^1];
            }

            instructions.Add(new ModelfileInstruction(name, argument));
        }

        return instructions;
    }
}
