using ModelRunner.Engine.Inference;
using ModelRunner.Engine.Native;

namespace ModelRunner.Engine.Embeddings;

/// <summary>
/// Decodes inputs as independent sequences of a pooling context (embeddings, reranking), as many
/// per <c>llama_decode</c> as fit in the batch and the context's sequences, and reads each
/// sequence's pooled output before the next batch clears the memory.
/// </summary>
internal static class PooledDecode
{
    /// <param name="read">Reads the pooled output of a sequence of the batch just decoded.</param>
    /// <param name="failure">What failed, for a batch of so many inputs (the exception's message).</param>
    public static T[] Run<T>(
        SafeLlamaContextHandle context,
        SafeLlamaBatchHandle batch,
        int sequences,
        IReadOnlyList<IReadOnlyList<int>> inputs,
        Func<int, T> read,
        Func<int, string> failure,
        CancellationToken cancellationToken)
    {
        var outputs = new T[inputs.Count];
        var next = 0;
        while (next < inputs.Count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            batch.Clear();
            var first = next;
            while (next < inputs.Count && next - first < sequences && batch.Count + inputs[next].Count <= batch.Capacity)
            {
                var input = inputs[next];
                for (var position = 0; position < input.Count; position++)
                {
                    batch.Add(input[position], position, next - first, wantLogits: true);
                }

                next++;
            }

            context.ClearMemory();
            var status = context.Decode(batch.Native);
            if (status != 0)
            {
                throw new InferenceException($"llama.cpp failed to {failure(next - first)}: {LlamaLibrary.TakeLastError() ?? $"status {status}"}");
            }

            for (var i = first; i < next; i++)
            {
                outputs[i] = read(i - first);
            }
        }

        return outputs;
    }
}
