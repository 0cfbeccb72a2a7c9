using System.Net.Http.Headers;
using System.Text;

namespace ModelRunner.Distribution.Registry;

/// <summary>
/// A parsed <c>WWW-Authenticate</c> challenge: <c>Basic realm="…"</c>, or <c>Bearer realm="…",service="…",scope="…"</c>
/// (the token service's URL and the parameters to send it).
/// </summary>
internal sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    public string? Realm => Parameters.GetValueOrDefault("realm");

    public string? Service => Parameters.GetValueOrDefault("service");

    /// <summary>The first Bearer or Basic challenge of a 401 answer, or null when it has none we understand.</summary>
    public static AuthChallenge? From(HttpResponseHeaders headers)
    {
        AuthChallenge? basic = null;
        foreach (var value in headers.WwwAuthenticate)
        {
            var challenge = new AuthChallenge(value.Scheme, ParseParameters(value.Parameter ?? ""));
            if (challenge.IsBearer && challenge.Realm is not null)
            {
                return challenge;
            }

            if (challenge.IsBasic)
            {
                basic = challenge;
            }
        }

        return basic;
    }

    /// <summary>Parses <c>key="value", key=value</c> lists; quoted values may hold commas and escaped quotes.</summary>
    internal static Dictionary<string, string> ParseParameters(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
            {
                i++;
            }

            var keyStart = i;
            while (i < text.Length && text[i] != '=' && text[i] != ',')
            {
                i++;
            }

            var key = text[keyStart..i].Trim();
            if (i >= text.Length || text[i] != '=')
            {
                continue;
            }

            i++;
            var value = new StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                for (i++; i < text.Length && text[i] != '"'; i++)
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    value.Append(text[i]);
                }

                i++;
            }
            else
            {
                for (; i < text.Length && text[i] != ','; i++)
                {
                    value.Append(text[i]);
                }
            }

            if (key.Length > 0)
            {
                result[key] = value.ToString().Trim();
            }
        }

        return result;
    }
}
