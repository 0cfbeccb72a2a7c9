using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ModelRunner.Api.Backend;
using ModelRunner.Api.Errors;
using ModelRunner.Api.Requests;
using ModelRunner.Engine.Inference;
using ModelRunner.Grains.Models;

namespace ModelRunner.Api.Ollama;

/// <summary>What <c>/api/chat</c> and <c>/api/generate</c> share: <c>options</c>, <c>format</c>, <c>keep_alive</c>, <c>stream</c>.</summary>
internal static class OllamaRequestReader
{
    /// <summary>A request with everything but the prompt, which the caller sets.</summary>
    public static BackendRequest Read(RequestFields body, HttpContext context)
    {
        var options = body.Fields("options");
        var predict = options?.Int("num_predict");
        var seed = options?.Number("seed");
        return new BackendRequest
        {
            Model = body.RequiredString("model"),
            Prompt = ModelPrompt.Raw(""),
            // Ollama's -1 (no limit) and -2 (fill the context) both mean: until the context is full.
            Options = new GenerationOptions { MaxTokens = predict is > 0 ? predict : null, Stop = options?.Strings("stop") ?? [] },
            Sampling = options is not { } sampling ? SamplingOverrides.None : new SamplingOverrides
            {
                Temperature = sampling.Float("temperature", 0, 2),
                TopK = sampling.Int("top_k", 0),
                TopP = sampling.Float("top_p", 0, 1),
                MinP = sampling.Float("min_p", 0, 1),
                RepeatPenalty = sampling.Float("repeat_penalty", 0, 10),
                PenaltyLastN = sampling.Int("repeat_last_n", -1),
                PresencePenalty = sampling.Float("presence_penalty", -2, 2),
                FrequencyPenalty = sampling.Float("frequency_penalty", -2, 2),
                Seed = seed is { } value ? unchecked((uint)(long)value) : null,
            },
            Format = Format(body),
            KeepAlive = body.Duration("keep_alive"),
            Think = Think(body),
            Origin = new RequestOrigin(context.Request.Method, context.Request.Path, body.Json.GetRawText()),
        };
    }

    /// <summary>Streams unless <c>"stream": false</c>.</summary>
    public static bool Streams(RequestFields body) => body.Bool("stream") ?? true;

    /// <summary><c>keep_alive</c>: a duration string (<c>"5m"</c>) or seconds; 0 unloads after the request, negative never.</summary>
    public static TimeSpan? KeepAliveOf(RequestFields body) => body.Duration("keep_alive");

    /// <summary><c>format</c>: <c>"json"</c> or a JSON schema.</summary>
    private static ResponseFormat Format(RequestFields body) => body.Element("format") switch
    {
        null => ResponseFormat.Text,
        { ValueKind: JsonValueKind.String } text when text.GetString() == "json" => ResponseFormat.JsonObject,
        { ValueKind: JsonValueKind.String } text when text.GetString() == "" => ResponseFormat.Text,
        { ValueKind: JsonValueKind.Object } schema => ResponseFormat.JsonSchema(schema),
        _ => throw body.Wrong("format", "\"json\" or a JSON schema object"),
    };

    /// <summary><c>think</c>: true or false, or an effort (<c>low</c>, <c>medium</c>, <c>high</c>) that turns thinking on.</summary>
    private static bool? Think(RequestFields body) => body.Element("think") switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.String } effort when effort.GetString() is "low" or "medium" or "high" => true,
        _ => throw body.Wrong("think", "true, false, or low, medium or high"),
    };
}
