namespace ModelRunner.Api.Backend;

/// <summary>Why an answer ended, as the API families name it.</summary>
public enum BackendFinish
{
    /// <summary>End of turn, or a stop sequence.</summary>
    Stop,

    /// <summary>The token limit or the context size.</summary>
    Length,

    /// <summary>The model called tools.</summary>
    ToolCalls,
}
