using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;
using Microsoft.Win32.SafeHandles;

namespace ModelRunner.Engine.Native;

/// <summary>
/// A loaded <c>llama_model</c>, including its vocabulary (which the model owns). Freed when the
/// last handle or child context referencing it is released. Vocabulary calls are thread-safe.
/// </summary>
internal sealed unsafe partial class SafeLlamaModelHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private nint _vocab;

    public SafeLlamaModelHandle() : base(ownsHandle: true) { }

    /// <summary>
    /// Loads a model from one file, or from its shards in order; null with llama.cpp's last
    /// logged error when it cannot.
    /// </summary>
    public static SafeLlamaModelHandle? Load(IReadOnlyList<string> paths, LlamaModelParams parameters)
    {
        var model = paths.Count == 1 ? llama_model_load_from_file(paths[0], parameters) : LoadSplits(paths, parameters);
        if (model.IsInvalid)
        {
            model.Dispose();
            return null;
        }

        // The vocabulary belongs to the model: calls that take it lease the model handle.
        model._vocab = llama_model_get_vocab(model);
        model.VocabularySize = llama_vocab_n_tokens(model._vocab);
        model.BeginningOfSequence = llama_vocab_bos(model._vocab);
        model.EndOfSequence = llama_vocab_eos(model._vocab);
        model.Separator = llama_vocab_sep(model._vocab);
        model.AddsBeginning = llama_vocab_get_add_bos(model._vocab);
        model.AddsEnd = llama_vocab_get_add_eos(model._vocab);
        model.AddsSeparator = llama_vocab_get_add_sep(model._vocab);
        return model;
    }

    public int TrainingContextLength => llama_model_n_ctx_train(this);

    public int EmbeddingLength => llama_model_n_embd(this);

    public int LayerCount => llama_model_n_layer(this);

    public int HeadCount => llama_model_n_head(this);

    public int KvHeadCount => llama_model_n_head_kv(this);

    public long SizeBytes => (long)llama_model_size(this);

    public long ParameterCount => (long)llama_model_n_params(this);

    public bool HasEncoder => llama_model_has_encoder(this);

    public bool HasDecoder => llama_model_has_decoder(this);

    /// <summary>The model's <c>llama_vocab</c>; valid only while this handle is alive (lease it).</summary>
    public nint Vocabulary => _vocab;

    public int VocabularySize { get; private set; }

    public int BeginningOfSequence { get; private set; }

    public int EndOfSequence { get; private set; }

    /// <summary>The sentence separator (BERT's [SEP]); -1 when the vocabulary has none.</summary>
    public int Separator { get; private set; }

    /// <summary>Whether tokenizing with special tokens adds the beginning-of-sequence token.</summary>
    public bool AddsBeginning { get; private set; }

    /// <summary>Whether tokenizing with special tokens adds the end-of-sequence token.</summary>
    public bool AddsEnd { get; private set; }

    /// <summary>Whether a pair of texts is joined with the separator (BERT-style encoders).</summary>
    public bool AddsSeparator { get; private set; }

    /// <summary>Outputs of the model's classification head (1 for a reranker; 1 when it has none).</summary>
    public int ClassifierOutputs => (int)llama_model_n_cls_out(this);

    public string Description
    {
        get
        {
            Span<byte> buffer = stackalloc byte[256];
            fixed (byte* pointer = buffer)
            {
                var length = llama_model_desc(this, pointer, (nuint)buffer.Length);
                return length <= 0 ? "" : System.Text.Encoding.UTF8.GetString(buffer[..Math.Min(length, buffer.Length - 1)]);
            }
        }
    }

    /// <summary>The model's default chat template, or null when it has none.</summary>
    public string? ChatTemplate => Marshal.PtrToStringUTF8(llama_model_chat_template(this, null));

    /// <summary>Tokenizes UTF-8 text; returns the token count, or minus the count needed when <paramref name="tokens"/> is too small.</summary>
    public int Tokenize(ReadOnlySpan<byte> text, Span<int> tokens, bool addSpecial, bool parseSpecial)
    {
        using var lease = new HandleLease(this);
        fixed (byte* textPointer = text)
        fixed (int* tokenPointer = tokens)
        {
            return llama_tokenize(_vocab, textPointer, text.Length, tokenPointer, tokens.Length, addSpecial, parseSpecial);
        }
    }

    /// <summary>Writes a token's UTF-8 bytes (possibly part of a character); minus the size needed when too small.</summary>
    public int TokenToPiece(int token, Span<byte> buffer, bool renderSpecial)
    {
        using var lease = new HandleLease(this);
        fixed (byte* pointer = buffer)
        {
            return llama_token_to_piece(_vocab, token, pointer, buffer.Length, 0, renderSpecial);
        }
    }

    public bool IsEndOfGeneration(int token)
    {
        using var lease = new HandleLease(this);
        return llama_vocab_is_eog(_vocab, token);
    }

    public bool IsControl(int token)
    {
        using var lease = new HandleLease(this);
        return llama_vocab_is_control(_vocab, token);
    }

    /// <summary>The metadata value of <paramref name="key"/> as text, or null when absent.</summary>
    public string? GetMetadata(string key)
    {
        var length = llama_model_meta_val_str(this, key, null, 0);
        if (length < 0)
        {
            return null;
        }

        var buffer = new byte[length + 1];
        fixed (byte* pointer = buffer)
        {
            llama_model_meta_val_str(this, key, pointer, (nuint)buffer.Length);
        }

        return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
    }

    protected override bool ReleaseHandle()
    {
        llama_model_free(handle);
        return true;
    }

    private static SafeLlamaModelHandle LoadSplits(IReadOnlyList<string> paths, LlamaModelParams parameters)
    {
        // Shards in a content-addressed store have no "-00001-of-00002" names, so llama.cpp
        // cannot find them from the first one: it is given every path, in order.
        var pointers = new nint[paths.Count];
        try
        {
            for (var i = 0; i < pointers.Length; i++)
            {
                pointers[i] = (nint)Utf8StringMarshaller.ConvertToUnmanaged(paths[i]);
            }

            fixed (nint* array = pointers)
            {
                return llama_model_load_from_splits((byte**)array, (nuint)pointers.Length, parameters);
            }
        }
        finally
        {
            foreach (var pointer in pointers)
            {
                Utf8StringMarshaller.Free((byte*)pointer);
            }
        }
    }

    [LibraryImport(LlamaApi.Llama, StringMarshalling = StringMarshalling.Utf8)]
    private static partial SafeLlamaModelHandle llama_model_load_from_file(string path, LlamaModelParams parameters);

    [LibraryImport(LlamaApi.Llama)]
    private static partial SafeLlamaModelHandle llama_model_load_from_splits(byte** paths, nuint count, LlamaModelParams parameters);

    [LibraryImport(LlamaApi.Llama)]
    private static partial void llama_model_free(nint model);

    [LibraryImport(LlamaApi.Llama)]
    private static partial nint llama_model_get_vocab(SafeLlamaModelHandle model);

    [LibraryImport(LlamaApi.Llama)]
    private static partial int llama_model_n_ctx_train(SafeLlamaModelHandle model);

    [LibraryImport(LlamaApi.Llama)]
    private static partial int llama_model_n_embd(SafeLlamaModelHandle model);

    [LibraryImport(LlamaApi.Llama)]
    private static partial int llama_model_n_layer(SafeLlamaModelHandle model);

    [LibraryImport(LlamaApi.Llama)]
    private static partial int llama_model_n_head(SafeLlamaModelHandle model);

    [LibraryImport(LlamaApi.Llama)]
    private static partial int llama_model_n_head_kv(SafeLlamaModelHandle model);

    [LibraryImport(LlamaApi.Llama)]
    private static partial ulong llama_model_size(SafeLlamaModelHandle model);

    [LibraryImport(LlamaApi.Llama)]
    private static partial ulong llama_model_n_params(SafeLlamaModelHandle model);

    [LibraryImport(LlamaApi.Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool llama_model_has_encoder(SafeLlamaModelHandle model);

    [LibraryImport(LlamaApi.Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool llama_model_has_decoder(SafeLlamaModelHandle model);

    [LibraryImport(LlamaApi.Llama)]
    private static partial int llama_model_desc(SafeLlamaModelHandle model, byte* buffer, nuint size);

    [LibraryImport(LlamaApi.Llama)]
    private static partial nint llama_model_chat_template(SafeLlamaModelHandle model, byte* name);

    [LibraryImport(LlamaApi.Llama, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int llama_model_meta_val_str(SafeLlamaModelHandle model, string key, byte* buffer, nuint size);

    [LibraryImport(LlamaApi.Llama)]
    private static partial int llama_vocab_n_tokens(nint vocab);

    [LibraryImport(LlamaApi.Llama)]
    private static partial int llama_vocab_bos(nint vocab);

    [LibraryImport(LlamaApi.Llama)]
    private static partial int llama_vocab_eos(nint vocab);

    [LibraryImport(LlamaApi.Llama)]
    private static partial int llama_vocab_sep(nint vocab);

    [LibraryImport(LlamaApi.Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool llama_vocab_get_add_bos(nint vocab);

    [LibraryImport(LlamaApi.Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool llama_vocab_get_add_eos(nint vocab);

    [LibraryImport(LlamaApi.Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool llama_vocab_get_add_sep(nint vocab);

    [LibraryImport(LlamaApi.Llama)]
    private static partial uint llama_model_n_cls_out(SafeLlamaModelHandle model);

    [LibraryImport(LlamaApi.Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool llama_vocab_is_eog(nint vocab, int token);

    [LibraryImport(LlamaApi.Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool llama_vocab_is_control(nint vocab, int token);

    [LibraryImport(LlamaApi.Llama)]
    private static partial int llama_tokenize(nint vocab, byte* text, int textLength, int* tokens, int maxTokens,
        [MarshalAs(UnmanagedType.U1)] bool addSpecial, [MarshalAs(UnmanagedType.U1)] bool parseSpecial);

    [LibraryImport(LlamaApi.Llama)]
    private static partial int llama_token_to_piece(nint vocab, int token, byte* buffer, int length, int leftStrip,
        [MarshalAs(UnmanagedType.U1)] bool special);
}
