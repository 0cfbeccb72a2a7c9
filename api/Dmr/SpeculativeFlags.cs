using System.Globalization;
using ModelRunner.Api.Backend;
using ModelRunner.Api.Requests;

namespace ModelRunner.Api.Dmr;

/// <summary>
/// DMR's <c>speculative</c> object of <c>_configure</c> (<c>draft_model</c>, <c>num_tokens</c>,
/// <c>min_acceptance_rate</c>) as the runtime flags that carry it (<c>--model-draft</c>,
/// <c>--draft-max</c>, <c>--draft-p-min</c>), as DMR passes them to llama-server.
/// </summary>
internal static class SpeculativeFlags
{
    /// <exception cref="ApiException">A field is missing or of the wrong type.</exception>
    /// <exception cref="Distribution.Store.ModelNotFoundException">The draft model is not in the store.</exception>
    public static IReadOnlyList<string> From(RequestFields speculative, IModelBackend backend)
    {
        var draft = speculative.RequiredString("draft_model");
        // Resolved now, so a draft that is not there fails the configuration, not the next load.
        backend.Resolve(draft);
        List<string> flags = ["--model-draft", draft.Trim()];
        if (speculative.Int("num_tokens") is { } tokens)
        {
            flags.AddRange(["--draft-max", tokens.ToString(CultureInfo.InvariantCulture)]);
        }

        if (speculative.Number("min_acceptance_rate") is { } rate)
        {
            flags.AddRange(["--draft-p-min", rate.ToString(CultureInfo.InvariantCulture)]);
        }

        return flags;
    }
}
