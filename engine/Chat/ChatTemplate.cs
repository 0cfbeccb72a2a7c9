using System.Runtime.InteropServices;
using System.Text;
using ModelRunner.Engine.Native;

namespace ModelRunner.Engine.Chat;

/// <summary>
/// Formats messages with llama.cpp's built-in chat templates. llama.cpp is not a Jinja engine:
/// it recognises a template (or a family name such as <c>chatml</c>) and formats it natively.
/// Thread-safe.
/// </summary>
public static unsafe class ChatTemplate
{
    /// <summary>The template family used for models that carry no template (llama-server does the same).</summary>
    public const string Fallback = "chatml";

    /// <summary>The template families llama.cpp formats natively.</summary>
    public static IReadOnlyList<string> BuiltinFamilies { get; } = ReadBuiltinFamilies();

    /// <summary>Formats <paramref name="messages"/> with a template's text or family name.</summary>
    /// <param name="template">A Jinja chat template llama.cpp recognises, or a family name from <see cref="BuiltinFamilies"/>.</param>
    /// <param name="messages">The conversation so far.</param>
    /// <param name="addAssistantPrompt">End with the tokens that open the assistant's reply (default true).</param>
    /// <exception cref="ChatTemplateException">llama.cpp does not recognise the template.</exception>
    public static string Apply(string template, IReadOnlyList<ChatMessage> messages, bool addAssistantPrompt = true)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(messages);

        var strings = new List<nint>(messages.Count * 2 + 1);
        try
        {
            var templatePointer = AllocateUtf8(template, strings);
            var native = new LlamaChatMessage[messages.Count];
            for (var i = 0; i < messages.Count; i++)
            {
                native[i].role = AllocateUtf8(messages[i].Role, strings);
                native[i].content = AllocateUtf8(messages[i].Content, strings);
            }

            var capacity = Math.Max(256, messages.Sum(message => message.Content.Length + message.Role.Length) * 2 + 256);
            while (true)
            {
                var buffer = new byte[capacity];
                int length;
                fixed (LlamaChatMessage* messagePointer = native)
                fixed (byte* bufferPointer = buffer)
                {
                    length = LlamaApi.llama_chat_apply_template(templatePointer, messagePointer, (nuint)native.Length, addAssistantPrompt, bufferPointer, buffer.Length);
                }

                if (length < 0)
                {
                    throw new ChatTemplateException(
                        "The model's chat template is not one llama.cpp can apply: it is not a Jinja engine and only " +
                        $"recognises these families: {string.Join(", ", BuiltinFamilies)}.");
                }

                if (length <= buffer.Length)
                {
                    return Encoding.UTF8.GetString(buffer, 0, length);
                }

                capacity = length;
            }
        }
        finally
        {
            foreach (var pointer in strings)
            {
                NativeMemory.Free((void*)pointer);
            }
        }
    }

    private static byte* AllocateUtf8(string text, List<nint> owned)
    {
        var count = Encoding.UTF8.GetByteCount(text);
        var pointer = (byte*)NativeMemory.Alloc((nuint)count + 1);
        owned.Add((nint)pointer);
        Encoding.UTF8.GetBytes(text, new Span<byte>(pointer, count));
        pointer[count] = 0;
        return pointer;
    }

    private static string[] ReadBuiltinFamilies()
    {
        var count = LlamaApi.llama_chat_builtin_templates(null, 0);
        var names = new nint[count];
        fixed (nint* pointer = names)
        {
            count = Math.Min(count, LlamaApi.llama_chat_builtin_templates(pointer, (nuint)count));
        }

        return [.. names.Take(count).Select(name => Marshal.PtrToStringUTF8(name) ?? "")];
    }
}
