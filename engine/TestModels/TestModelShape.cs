namespace ModelRunner.Engine.TestModels;

/// <summary>
/// The dimensions of a generated model and the real tokenizer it borrows. Weights are random,
/// so output is gibberish, but it is deterministic at temperature 0.
/// </summary>
/// <param name="Name">The name used on the command line (<c>tiny</c>, <c>smollm2-360m</c>, <c>smollm2-135m</c>, <c>bert-tiny</c>).</param>
/// <param name="Architecture"><c>llama</c> (a decoder that generates) or <c>bert</c> (an encoder for embeddings).</param>
/// <param name="Vocabulary">The vocabulary-only GGUF from llama.cpp's models folder that supplies the tokenizer.</param>
/// <param name="EmbeddingLength">Hidden size E.</param>
/// <param name="LayerCount">Transformer blocks.</param>
/// <param name="HeadCount">Attention heads; the head size is E / heads.</param>
/// <param name="KvHeadCount">Key/value heads (grouped-query attention when fewer than heads).</param>
/// <param name="FeedForwardLength">Hidden size of the feed-forward network.</param>
/// <param name="ContextLength">The training context the model claims.</param>
/// <param name="RopeFreqBase">RoPE base frequency.</param>
public sealed record TestModelShape(
    string Name,
    string Architecture,
    string Vocabulary,
    int EmbeddingLength,
    int LayerCount,
    int HeadCount,
    int KvHeadCount,
    int FeedForwardLength,
    int ContextLength,
    float RopeFreqBase)
{
    /// <summary>A few MB with llama's SentencePiece tokenizer (32000 tokens, byte fallback): for tests.</summary>
    public static TestModelShape Tiny { get; } = new("tiny", "llama", "ggml-vocab-llama-spm.gguf", 64, 2, 4, 2, 256, 4096, 10000f);

    /// <summary>SmolLM2-360M's dimensions with the 49152-token StarCoder BPE vocabulary: for benchmarks.</summary>
    public static TestModelShape SmolLM2_360M { get; } = new("smollm2-360m", "llama", "ggml-vocab-starcoder.gguf", 960, 32, 15, 5, 2560, 8192, 100000f);

    /// <summary>SmolLM2-135M's dimensions with the same vocabulary as <see cref="SmolLM2_360M"/>: its draft model in the speculative benchmark.</summary>
    public static TestModelShape SmolLM2_135M { get; } = new("smollm2-135m", "llama", "ggml-vocab-starcoder.gguf", 576, 30, 9, 3, 1536, 8192, 100000f);

    /// <summary>A tiny BERT encoder with the BGE WordPiece vocabulary and mean pooling: an embedding model.</summary>
    public static TestModelShape BertTiny { get; } = new("bert-tiny", "bert", "ggml-vocab-bert-bge.gguf", 64, 2, 4, 4, 256, 512, 0f);

    /// <summary>
    /// <see cref="BertTiny"/> with rank pooling and a classification head (<c>cls</c>, <c>cls.output</c>
    /// with one output): a cross-encoder reranker, scored by llama.cpp's rank pooling.
    /// </summary>
    public static TestModelShape Reranker { get; } = BertTiny with { Name = "reranker", ClassifierHead = true };

    /// <summary>
    /// <see cref="Tiny"/> as a reasoning model: its chat template opens a <c>&lt;think&gt;</c> block after
    /// the assistant header (as DeepSeek-R1's does), so every answer starts inside its thinking.
    /// </summary>
    public static TestModelShape TinyReasoning { get; } = Tiny with { Name = "tiny-reasoning", OpensThinking = true };

    public static IReadOnlyList<TestModelShape> All { get; } = [Tiny, SmolLM2_360M, SmolLM2_135M, BertTiny, Reranker, TinyReasoning];

    /// <summary>Whether a BERT encoder carries a one-output classification head and declares rank pooling (a reranker).</summary>
    public bool ClassifierHead { get; init; }

    /// <summary>Whether a llama decoder's chat template opens a think block for the answer (a reasoning model).</summary>
    public bool OpensThinking { get; init; }

    public int HeadSize => EmbeddingLength / HeadCount;

    /// <summary>Finds a shape by its command-line name.</summary>
    /// <exception cref="ArgumentException">No shape has that name.</exception>
    public static TestModelShape Parse(string name) =>
        All.FirstOrDefault(shape => shape.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown test model shape '{name}'; known: {string.Join(", ", All.Select(shape => shape.Name))}", nameof(name));
}
