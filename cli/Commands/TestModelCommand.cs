using System.CommandLine;
using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.TestModels;

namespace ModelRunner.Cli.Commands;

/// <summary><c>modelrunner testmodel</c>: writes a random-weight GGUF model for tests, demos and benchmarks.</summary>
internal static class TestModelCommand
{
    public static Command Create()
    {
        var shape = new Option<string>("--shape")
        {
            Description = "Model dimensions",
            DefaultValueFactory = _ => TestModelShape.Tiny.Name,
        };
        shape.AcceptOnlyFromAmong([.. TestModelShape.All.Select(s => s.Name)]);
        var quant = new Option<string>("--quant")
        {
            Description = "Weight type",
            DefaultValueFactory = _ => "F16",
        };
        quant.AcceptOnlyFromAmong([.. TestModelBuilder.Types.Select(type => type.ToDisplayName())]);
        var seed = new Option<ulong>("--seed") { Description = "Seed of the random weights", DefaultValueFactory = _ => 1 };
        var output = new Option<FileInfo>("--out", "-o") { Description = "The GGUF file to write", Required = true };

        var command = new Command("testmodel", "Write a random-weight llama model with a real tokenizer (output is gibberish by design)")
        {
            shape, quant, seed, output,
        };
        CommandAction.Set(command, (parseResult, _) =>
        {
            var path = parseResult.GetRequiredValue(output).FullName;
            var type = TestModelBuilder.Types.Single(t => t.ToDisplayName() == parseResult.GetRequiredValue(quant));
            TestModelBuilder.Write(path, TestModelShape.Parse(parseResult.GetRequiredValue(shape)), type, parseResult.GetValue(seed));
            Console.WriteLine(path);
            return Task.CompletedTask;
        });
        return command;
    }
}
