using Microsoft.AspNetCore.Http;
using ModelRunner.Api.Backend;
using ModelRunner.Api.Errors;
using ModelRunner.Api.Requests;
using ModelRunner.Engine.Inference;
using ModelRunner.Grains.Models;

namespace ModelRunner.Api.OpenAi;

/// <summary>The generation settings chat and text completions share: limits, sampling, stops, logprobs.</summary>
internal static class SamplingReader
{
    /// <summary>A request with everything but the model and prompt, which the caller sets.</summary>
    public static BackendRequest Read(RequestFields body, HttpContext context)
    {
        if (body.Int("n") is { } n && n != 1)
        {
            throw ApiException.Invalid("'n' must be 1: this server makes one choice per request", "n");
        }

        var maxTokens = body.Int("max_completion_tokens", 1) ?? body.Int("max_tokens", 1);
        var topLogprobs = body.Int("top_logprobs", 0);
        if (topLogprobs > 20)
        {
            throw ApiException.Invalid("'top_logprobs' must be between 0 and 20", "top_logprobs");
        }

        // Chat asks for logprobs with a boolean; text completions with the number of alternatives.
        int? logprobs = body.Element("logprobs") is { ValueKind: System.Text.Json.JsonValueKind.Number } ? body.Int("logprobs", 0) : null;
        var wantLogprobs = logprobs is not null || body.Bool("logprobs") == true;
        var seed = body.Number("seed");
        return new BackendRequest
        {
            Model = "",
            Prompt = ModelPrompt.Raw(""),
            Options = new GenerationOptions
            {
                MaxTokens = maxTokens,
                Stop = body.Strings("stop") ?? [],
                TopLogprobs = wantLogprobs ? logprobs ?? topLogprobs ?? 0 : null,
            },
            Sampling = new SamplingOverrides
            {
                Temperature = body.Float("temperature", 0, 2),
                TopP = body.Float("top_p", 0, 1),
                TopK = body.Int("top_k", 0),
                MinP = body.Float("min_p", 0, 1),
                PresencePenalty = body.Float("presence_penalty", -2, 2),
                FrequencyPenalty = body.Float("frequency_penalty", -2, 2),
                RepeatPenalty = body.Float("repeat_penalty", 0, 10),
                Seed = seed is { } value ? unchecked((uint)(long)value) : null,
            },
            Origin = new RequestOrigin(context.Request.Method, context.Request.Path + context.Request.QueryString, body.Json.GetRawText()),
        };
    }
}
