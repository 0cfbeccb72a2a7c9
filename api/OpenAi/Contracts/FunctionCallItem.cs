namespace ModelRunner.Api.OpenAi.Contracts;

/// <summary>A tool call in a response's output (Responses API item of type <c>function_call</c>).</summary>
/// <param name="Id">The item's id (<c>fc_…</c>).</param>
/// <param name="CallId">The id the client answers with a <c>function_call_output</c> item.</param>
/// <param name="Name">The function called.</param>
/// <param name="Arguments">Its arguments, as JSON text (empty while the item is being streamed).</param>
/// <param name="Status"><c>in_progress</c> while streamed, then <c>completed</c>.</param>
public sealed record FunctionCallItem(string Id, string CallId, string Name, string Arguments, string Status)
{
    public string Type => "function_call";
}
