using ModelRunner.Api.Requests;

namespace ModelRunner.Api.OpenAi;

/// <summary>Whether to stream (<c>stream</c>) and whether a last chunk carries the usage (<c>stream_options.include_usage</c>).</summary>
internal sealed record StreamSettings(bool Stream, bool IncludeUsage)
{
    public static StreamSettings Read(RequestFields body) =>
        new(body.Bool("stream") ?? false, body.Fields("stream_options")?.Bool("include_usage") ?? false);
}
