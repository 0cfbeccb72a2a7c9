using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using ModelRunner.Engine.Native;

namespace ModelRunner.Engine.Inference;

/// <summary>
/// A request from the moment it is queued until it ends: its prompt, sampler, text decoding,
/// the channel its updates stream through, and its progress. Mutated by the decode loop only.
/// </summary>
internal sealed class ActiveRequest(GenerationRequest request, SafeLlamaSamplerHandle sampler, TokenTextDecoder text, CancellationToken cancellation) : IDisposable
{
    public GenerationRequest Request { get; } = request;

    public IReadOnlyList<int> Prompt => Request.PromptTokens;

    public GenerationOptions Options => Request.Options;

    public SafeLlamaSamplerHandle Sampler { get; } = sampler;

    public TokenTextDecoder Text { get; } = text;

    public StopStringMatcher Stops { get; } = new(request.Options.Stop);

    public CancellationToken Cancellation { get; } = cancellation;

    public Channel<GenerationUpdate> Updates { get; } =
        Channel.CreateUnbounded<GenerationUpdate>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    /// <summary>Completed once the request has released its sequence (or never got one).</summary>
    public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The next prompt token to evaluate; equal to the prompt length once the prompt is in.</summary>
    public int PromptCursor { get; set; }

    public int CachedPromptTokens { get; set; }

    public int Generated { get; set; }

    /// <summary>The last sampled token, to be decoded in the next batch; -1 before the first.</summary>
    public int PendingToken { get; set; } = -1;

    /// <summary>Where this request's logits are in the current batch; -1 when it has none there.</summary>
    public int LogitsIndex { get; set; } = -1;

    public List<TokenLogprob>? Logprobs { get; set; }

    /// <summary>Tokens a draft model proposed for this request (speculative decoding).</summary>
    public int DraftTokens { get; set; }

    /// <summary>Proposed tokens the target picked too.</summary>
    public int DraftAcceptedTokens { get; set; }

    /// <summary>Set once drafting stops paying for this request (acceptance below the minimum, or a draft failure).</summary>
    public bool DraftingStopped { get; set; }

    /// <summary>Tokens generated since the last update was written.</summary>
    public List<int> UnsentTokens { get; } = [];

    /// <summary>Text released (past the stop strings) since the last update was written.</summary>
    public StringBuilder UnsentText { get; } = new();

    /// <summary>When the last update was written; 0 before the first.</summary>
    public long LastUpdate { get; set; }

    public long Queued { get; } = Stopwatch.GetTimestamp();

    public long Admitted { get; set; }

    public long FirstToken { get; set; }

    public bool IsEvaluatingPrompt => PromptCursor < Prompt.Count;

    /// <summary>
    /// Greedy with nothing that reshapes the logits (no penalties, no grammar): the next token is
    /// the logits' argmax, which <see cref="GreedyToken"/> finds without the sampler chain.
    /// </summary>
    public bool IsPlainGreedy { get; } = request.Options.Sampling.Temperature <= 0 && !request.Options.Sampling.UsesPenalties && request.Options.Grammar is null;

    public void Dispose() => Sampler.Dispose();
}
