using System.Text;
using ModelRunner.Engine.Inference;
using ModelRunner.Engine.Native;

namespace ModelRunner.Engine.Tests.Grammar;

/// <summary>
/// Asks llama.cpp's own grammar sampler whether a grammar matches a text: the text is fed one character-token
/// at a time, each checked with <c>llama_sampler_apply</c> (a rejected token gets logit -inf) before it is
/// accepted, and the text is complete when the end-of-sequence token is allowed after it. This is the
/// grammar engine that will constrain generation, so its verdict is the one that matters.
/// </summary>
internal sealed unsafe class GrammarProbe
{
    private static readonly Dictionary<string, int> PieceTokens = new(StringComparer.Ordinal);

    private readonly LlamaModel _model;
    private readonly string _grammar;

    public GrammarProbe(LlamaModel model, string grammar)
    {
        _model = model;
        _grammar = grammar;
        lock (PieceTokens)
        {
            if (PieceTokens.Count == 0)
            {
                IndexSingleCharacterTokens(model);
            }
        }
    }

    /// <summary>True when the grammar matches all of <paramref name="text"/>, and nothing less.</summary>
    public bool Accepts(string text) => Run(text) == Verdict.Complete;

    /// <summary>True when <paramref name="text"/> is a prefix the grammar can still continue, or a complete match.</summary>
    public bool AcceptsPrefix(string text) => Run(text) != Verdict.Rejected;

    private Verdict Run(string text)
    {
        using var sampler = SafeLlamaSamplerHandle.CreateChain();
        Assert.True(sampler.TryAddGrammar(_model.Handle, _grammar, "root"), "llama.cpp rejected the grammar:\n" + _grammar);
        foreach (var token in Tokens(text))
        {
            if (!Allowed(sampler, token))
            {
                return Verdict.Rejected;
            }

            sampler.Accept(token);
        }

        return Allowed(sampler, _model.Handle.EndOfSequence) ? Verdict.Complete : Verdict.Prefix;
    }

    private static bool Allowed(SafeLlamaSamplerHandle sampler, int token)
    {
        var candidate = new LlamaTokenData { id = token, logit = 0, p = 0 };
        var candidates = new LlamaTokenDataArray { data = &candidate, size = 1, selected = -1, sorted = false };
        sampler.Apply(&candidates);
        return !float.IsNegativeInfinity(candidate.logit);
    }

    /// <summary>One token per character where the vocabulary has one, else one byte token per UTF-8 byte.</summary>
    private static List<int> Tokens(string text)
    {
        var tokens = new List<int>();
        var bytes = new byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            if (PieceTokens.TryGetValue(rune.ToString(), out var token))
            {
                tokens.Add(token);
                continue;
            }

            var length = rune.EncodeToUtf8(bytes);
            for (var i = 0; i < length; i++)
            {
                var key = "byte:" + bytes[i].ToString("X2", CultureInfo.InvariantCulture);
                tokens.Add(PieceTokens.TryGetValue(key, out var byteToken) ? byteToken : throw new InvalidOperationException($"the test vocabulary cannot spell {rune}"));
            }
        }

        return tokens;
    }

    private static void IndexSingleCharacterTokens(LlamaModel model)
    {
        var buffer = new byte[64];
        for (var token = 0; token < model.VocabularySize; token++)
        {
            if (model.Handle.IsControl(token) || model.IsEndOfGeneration(token))
            {
                continue;
            }

            var length = model.TokenToPiece(token, ref buffer, renderSpecial: false);
            if (length == 1 && buffer[0] >= 0x80)
            {
                PieceTokens.TryAdd("byte:" + buffer[0].ToString("X2", CultureInfo.InvariantCulture), token);
                continue;
            }

            if (length is < 1 or > 4)
            {
                continue;
            }

            var piece = Encoding.UTF8.GetString(buffer, 0, length);
            if (piece.EnumerateRunes().Count() == 1 && !piece.Contains('\uFFFD', StringComparison.Ordinal))
            {
                PieceTokens.TryAdd(piece, token);
            }
        }
    }

    private enum Verdict
    {
        Rejected,
        Prefix,
        Complete,
    }
}
