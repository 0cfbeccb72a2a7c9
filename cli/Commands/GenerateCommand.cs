using System.CommandLine;
using ModelRunner.Engine.Inference;

namespace ModelRunner.Cli.Commands;

/// <summary>
/// <c>modelrunner generate FILE PROMPT</c>: one-shot generation straight from a GGUF file,
/// streamed to stdout. A smoke test of the engine that needs no server.
/// </summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "A GGUF model file" };
        var prompt = new Argument<string>("prompt") { Description = "The prompt, used as is (no chat template)" };
        var maxTokens = new Option<int>("--max-tokens", "-n") { Description = "Most tokens to generate", DefaultValueFactory = _ => 128 };
        var temperature = new Option<float>("--temperature") { Description = "Sampling temperature (0 = greedy)", DefaultValueFactory = _ => 0.8f };
        var seed = new Option<uint?>("--seed") { Description = "Sampling seed (default: random)" };
        var contextSize = new Option<int>("--context-size") { Description = "Context size in tokens", DefaultValueFactory = _ => 4096 };
        var threads = new Option<int?>("--threads") { Description = "CPU threads (default: all cores)" };

        var command = new Command("generate", "Generate text from a GGUF file directly, without a server")
        {
            model, prompt, maxTokens, temperature, seed, contextSize, threads,
        };
        CommandAction.Set(command, async (parseResult, cancellationToken) =>
        {
            var options = new GenerationOptions
            {
                MaxTokens = parseResult.GetValue(maxTokens),
                Sampling = new SamplingOptions { Temperature = parseResult.GetValue(temperature), Seed = parseResult.GetValue(seed) },
            };
            options.Validate();

            using var llama = LlamaModel.Load(parseResult.GetRequiredValue(model).FullName);
            await using var engine = new InferenceEngine(llama, new EngineOptions
            {
                ContextSize = parseResult.GetValue(contextSize),
                Threads = parseResult.GetValue(threads),
            });

            var output = Console.Out;
            await foreach (var update in engine.GenerateAsync(parseResult.GetRequiredValue(prompt), options, cancellationToken).ConfigureAwait(false))
            {
                await output.WriteAsync(update.Text).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            await output.WriteLineAsync().ConfigureAwait(false);
        });
        return command;
    }
}
