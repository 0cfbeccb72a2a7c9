namespace ModelRunner.Distribution.Store;

/// <summary>One thing an integrity check found wrong.</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Digest">The blob or manifest concerned.</param>
/// <param name="ModelIds">The models that use it (empty for a blob no model uses).</param>
/// <param name="Message">A sentence for the user.</param>
public sealed record IntegrityProblem(IntegrityProblemKind Kind, string Digest, IReadOnlyList<string> ModelIds, string Message);
