namespace ModelRunner.Engine.Inference;

/// <summary>
/// Whether a draft model can propose tokens to a target: the target checks the draft's token ids
/// as its own, so both must number the same pieces the same way.
/// </summary>
internal static class DraftVocabulary
{
    /// <exception cref="InvalidOptionException">The vocabularies differ; the message says where.</exception>
    public static void EnsureCompatible(LlamaModel target, LlamaModel draft)
    {
        var (t, d) = (target.Handle, draft.Handle);
        if (t.VocabularySize != d.VocabularySize)
        {
            throw Incompatible(draft, $"it has {d.VocabularySize} tokens, the target {t.VocabularySize}");
        }

        if (t.BeginningOfSequence != d.BeginningOfSequence || t.EndOfSequence != d.EndOfSequence)
        {
            throw Incompatible(draft, "its BOS/EOS tokens differ from the target's");
        }

        Span<byte> targetPiece = stackalloc byte[256];
        Span<byte> draftPiece = stackalloc byte[256];
        for (var token = 0; token < t.VocabularySize; token++)
        {
            var targetLength = t.TokenToPiece(token, targetPiece, renderSpecial: true);
            var draftLength = d.TokenToPiece(token, draftPiece, renderSpecial: true);
            // A piece longer than the buffer reports its size negated: equal sizes still say a lot.
            if (targetLength != draftLength || (targetLength > 0 && !targetPiece[..targetLength].SequenceEqual(draftPiece[..draftLength])))
            {
                throw Incompatible(draft, $"token {token} is a different piece in the two vocabularies");
            }
        }
    }

    private static InvalidOptionException Incompatible(LlamaModel draft, string why) =>
        new("speculative", $"the draft model {System.IO.Path.GetFileName(draft.Path)} cannot draft for this model: {why}");
}
