using System.Runtime.InteropServices;
using ModelRunner.Engine.Gguf;

namespace ModelRunner.Engine.Native;

/// <summary>
/// The llama.cpp and ggml functions that belong to no single handle. Functions on a model,
/// context, sampler or batch live, private, on that handle's class.
/// </summary>
internal static unsafe partial class LlamaApi
{
    public const string Llama = "llama";
    public const string Ggml = "ggml";
    public const string GgmlBase = "ggml-base";

    [LibraryImport(Llama)]
    public static partial void llama_backend_init();

    [LibraryImport(Llama)]
    public static partial nint llama_print_system_info();

    [LibraryImport(Llama)]
    public static partial nint llama_version();

    [LibraryImport(Llama)]
    public static partial void llama_log_set(delegate* unmanaged[Cdecl]<int, byte*, void*, void> callback, void* userData);

    [LibraryImport(Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_supports_gpu_offload();

    [LibraryImport(Llama)]
    public static partial nuint llama_max_parallel_sequences();

    [LibraryImport(Llama)]
    public static partial LlamaModelParams llama_model_default_params();

    [LibraryImport(Llama)]
    public static partial LlamaContextParams llama_context_default_params();

    [LibraryImport(Llama)]
    public static partial LlamaModelQuantizeParams llama_model_quantize_default_params();

    [LibraryImport(Llama)]
    public static partial LlamaSamplerChainParams llama_sampler_chain_default_params();

    [LibraryImport(Llama, StringMarshalling = StringMarshalling.Utf8)]
    public static partial uint llama_model_quantize(string inputPath, string outputPath, in LlamaModelQuantizeParams parameters);

    [LibraryImport(Llama)]
    public static partial int llama_chat_apply_template(byte* template, LlamaChatMessage* messages, nuint count, [MarshalAs(UnmanagedType.U1)] bool addAssistant, byte* buffer, int length);

    [LibraryImport(Llama)]
    public static partial int llama_chat_builtin_templates(nint* output, nuint length);

    [LibraryImport(Llama)]
    public static partial LlamaBatch llama_batch_init(int tokens, int embeddings, int maxSequences);

    [LibraryImport(Llama)]
    public static partial void llama_batch_free(LlamaBatch batch);

    [LibraryImport(Ggml, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void ggml_backend_load_all_from_path(string directory);

    [LibraryImport(Ggml)]
    public static partial nuint ggml_backend_dev_count();

    [LibraryImport(Ggml)]
    public static partial nint ggml_backend_dev_get(nuint index);

    [LibraryImport(GgmlBase)]
    public static partial nint ggml_backend_dev_name(nint device);

    [LibraryImport(GgmlBase)]
    public static partial nint ggml_backend_dev_description(nint device);

    [LibraryImport(GgmlBase)]
    public static partial GgmlDeviceType ggml_backend_dev_type(nint device);

    [LibraryImport(GgmlBase)]
    public static partial void ggml_backend_dev_memory(nint device, out nuint free, out nuint total);

    [LibraryImport(GgmlBase)]
    public static partial nint ggml_backend_dev_host_buffer_type(nint device);

    [LibraryImport(GgmlBase)]
    public static partial nint ggml_backend_buft_alloc_buffer(nint bufferType, nuint size);

    [LibraryImport(GgmlBase)]
    public static partial nint ggml_backend_buffer_get_base(nint buffer);

    [LibraryImport(GgmlBase)]
    public static partial void ggml_backend_buffer_free(nint buffer);

    [LibraryImport(GgmlBase)]
    public static partial long ggml_blck_size(GgmlType type);

    [LibraryImport(GgmlBase)]
    public static partial nuint ggml_type_size(GgmlType type);
}
