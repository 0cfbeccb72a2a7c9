using System.Text.Json;
using ModelRunner.Api.Backend;
using ModelRunner.Api.Errors;
using ModelRunner.Api.Requests;
using ModelRunner.Engine.Chat;

namespace ModelRunner.Api.OpenAi;

/// <summary>
/// The Responses API's <c>tools</c> (flat function definitions: <c>{type:"function", name,
/// description, parameters}</c>) and <c>tool_choice</c> (<c>auto</c>, <c>none</c>, <c>required</c> or
/// <c>{type:"function", name}</c>), read into what chat completions use.
/// </summary>
internal static class ResponseTools
{
    private static readonly JsonElement EmptySchema = JsonDocument.Parse("{\"type\":\"object\",\"properties\":{}}").RootElement.Clone();

    public static IReadOnlyList<ToolDefinition> Read(RequestFields body) =>
        [.. (body.Objects("tools") ?? []).Select(tool =>
        {
            var type = tool.RequiredString("type");
            if (type != "function")
            {
                throw ApiException.Invalid($"'{tool.Name("type")}' is '{type}': this server runs function tools only", tool.Name("type"));
            }

            var parameters = tool.Element("parameters") is { ValueKind: JsonValueKind.Object } schema ? schema.Clone() : EmptySchema;
            return new ToolDefinition(tool.RequiredString("name"), tool.String("description"), parameters);
        })];

    public static ToolChoice Choice(RequestFields body, IReadOnlyList<ToolDefinition> tools) =>
        ToolChoiceReader.Read(body, tools, choice => choice.String("type") is { } type && type != "function"
            ? throw ApiException.Invalid($"'tool_choice.type' is '{type}': this server runs function tools only", "tool_choice.type")
            : choice.RequiredString("name"));

    /// <summary><c>tool_choice</c> as a response echoes it: the mode, or the function object.</summary>
    public static object Echo(ToolChoice choice) =>
        choice.Function is { } name ? new Dictionary<string, string> { ["type"] = "function", ["name"] = name } : choice.Mode;
}
