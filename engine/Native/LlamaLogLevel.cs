namespace ModelRunner.Engine.Native;

/// <summary>ggml's log levels (<c>enum ggml_log_level</c>).</summary>
public enum LlamaLogLevel
{
    None = 0,
    Debug = 1,
    Info = 2,
    Warning = 3,
    Error = 4,
    Continue = 5,
}
