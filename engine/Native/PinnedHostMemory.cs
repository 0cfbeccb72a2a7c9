using System.Collections.Concurrent;

namespace ModelRunner.Engine.Native;

/// <summary>
/// Host memory that a GPU copies to and from directly (page-locked, from the GPU backend's own
/// host buffer type, e.g. <c>cudaMallocHost</c>). Saving a sequence whose KV cells live on the GPU
/// copies them into host memory layer by layer; into ordinary pageable memory each copy is staged
/// through a driver buffer and runs at a fraction of the bus's speed. Thread-safe.
/// </summary>
internal sealed unsafe class PinnedHostMemory
{
    private readonly nint _bufferType;
    private readonly ConcurrentDictionary<nint, nint> _buffers = new();

    private PinnedHostMemory(nint bufferType) => _bufferType = bufferType;

    /// <summary>Pinned memory for the first GPU llama.cpp has, or null when it has none (or its backend offers none).</summary>
    public static PinnedHostMemory? ForFirstGpu()
    {
        var count = (int)LlamaApi.ggml_backend_dev_count();
        for (var i = 0; i < count; i++)
        {
            var device = LlamaApi.ggml_backend_dev_get((nuint)i);
            if (LlamaApi.ggml_backend_dev_type(device) == GgmlDeviceType.Gpu)
            {
                var bufferType = LlamaApi.ggml_backend_dev_host_buffer_type(device);
                return bufferType == 0 ? null : new PinnedHostMemory(bufferType);
            }
        }

        return null;
    }

    /// <summary>A block of <paramref name="bytes"/>, or null when the driver cannot lock that much.</summary>
    public void* TryAllocate(long bytes)
    {
        var buffer = LlamaApi.ggml_backend_buft_alloc_buffer(_bufferType, (nuint)bytes);
        if (buffer == 0)
        {
            return null;
        }

        var block = LlamaApi.ggml_backend_buffer_get_base(buffer);
        _buffers[block] = buffer;
        return (void*)block;
    }

    /// <summary>Frees a block this allocated; false when it did not allocate <paramref name="block"/>.</summary>
    public bool Free(void* block)
    {
        if (!_buffers.TryRemove((nint)block, out var buffer))
        {
            return false;
        }

        LlamaApi.ggml_backend_buffer_free(buffer);
        return true;
    }
}
