using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ModelRunner.Api.Backend;
using ModelRunner.Api.Errors;
using ModelRunner.Api.OpenAi.Contracts;
using ModelRunner.Api.Requests;
using ModelRunner.Api.Streaming;
using ModelRunner.Engine.Chat;
using ModelRunner.Engine.Inference;
using ModelRunner.Grains.Conversations;
using ModelRunner.Grains.Models;

namespace ModelRunner.Api.OpenAi;

/// <summary>
/// The Responses API. Each stored response is a conversation grain keyed by the response's id
/// holding the whole exchange so far, with the response itself in its metadata: so
/// <c>previous_response_id</c> continues it (branching is free: each response copies its
/// history) and everything survives restarts. With <c>conversation</c> the turn goes to that
/// conversation instead.
/// </summary>
internal static class ResponsesEndpoints
{
    private const string ResponseKey = "openai.response";

    public static async Task CreateAsync(HttpContext context, IModelBackend backend, IGrainFactory grains)
    {
        var body = await JsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var model = body.RequiredString("model");
        var stored = backend.Resolve(model);
        var instructions = body.String("instructions");
        List<PromptMessage> messages = [.. instructions is { Length: > 0 } ? [new PromptMessage("system", instructions)] : Array.Empty<PromptMessage>(), .. ItemReader.Messages(body, "input")];
        var tools = ResponseTools.Read(body);
        var toolChoice = ResponseTools.Choice(body, tools);
        var store = body.Bool("store") ?? true;
        var previous = body.String("previous_response_id");
        var conversation = body.Element("conversation") is { ValueKind: JsonValueKind.Object } ? body.Fields("conversation")!.Value.RequiredString("id") : body.String("conversation");
        var id = OpenAiIds.New("resp").Replace("-", "_", StringComparison.Ordinal);
        var cancellationToken = context.RequestAborted;

        if (conversation is not null)
        {
            _ = await grains.GetGrain<IConversationGrain>(conversation).GetAsync(cancellationToken).ConfigureAwait(false) ?? throw ConversationsEndpoints.NotFound(conversation);
        }
        else
        {
            var history = previous is null ? [] : await HistoryAsync(grains, previous, cancellationToken).ConfigureAwait(false);
            await grains.GetGrain<IConversationGrain>(id).CreateAsync(stored.Id, model, history, new Dictionary<string, string>(), cancellationToken).ConfigureAwait(false);
        }

        var request = new BackendRequest
        {
            Model = model,
            Prompt = ModelPrompt.Chat(messages),
            Options = new GenerationOptions { MaxTokens = body.Int("max_output_tokens", 1) },
            Sampling = new SamplingOverrides { Temperature = body.Float("temperature", 0, 2), TopP = body.Float("top_p", 0, 1) },
            Tools = tools,
            ToolChoice = toolChoice,
            ConversationId = conversation ?? id,
            Origin = new RequestOrigin(context.Request.Method, context.Request.Path, body.Json.GetRawText()),
        };
        IReadOnlyList<JsonElement> toolsSent = [.. (body.Array("tools") ?? []).Select(tool => tool.Clone())];
        ResponseObject Response(string status, IReadOnlyList<object> output, ResponseUsage? usage) =>
            new(id, OpenAiIds.Now, status, model, output, usage, previous, instructions, store, Metadata(body), request.Options.MaxTokens, request.Sampling.Temperature, request.Sampling.TopP)
            {
                ToolChoice = ResponseTools.Echo(toolChoice),
                Tools = toolsSent,
            };

        // With tools in play the backend reads the answer whole (it may be a call), so the message
        // item opens only once its text is known; without them its text streams as it comes.
        var collected = tools.Count > 0 && toolChoice.Mode != "none";
        await using var updates = backend.GenerateAsync(request, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var more = await updates.MoveNextAsync().ConfigureAwait(false);
        var itemId = OpenAiIds.New("msg").Replace("-", "_", StringComparison.Ordinal);
        EventStream? events = null;
        var sequence = 0;
        Task SendAsync(ResponseEvent item) => events!.DataAsync(JsonSerializer.Serialize(item with { SequenceNumber = sequence++ }, OpenAiJsonContext.Default.ResponseEvent), item.Type);
        async Task OpenMessageAsync()
        {
            await SendAsync(new ResponseEvent("response.output_item.added", 0) { OutputIndex = 0, Item = new MessageItem(itemId, "assistant", []) }).ConfigureAwait(false);
            await SendAsync(new ResponseEvent("response.content_part.added", 0) { ItemId = itemId, OutputIndex = 0, ContentIndex = 0, Part = new TextPart("output_text", "") }).ConfigureAwait(false);
        }

        if (body.Bool("stream") == true)
        {
            events = await EventStream.StartSseAsync(context).ConfigureAwait(false);
            await SendAsync(new ResponseEvent("response.created", 0) { Response = Response("in_progress", [], null) }).ConfigureAwait(false);
            await SendAsync(new ResponseEvent("response.in_progress", 0) { Response = Response("in_progress", [], null) }).ConfigureAwait(false);
            if (!collected)
            {
                await OpenMessageAsync().ConfigureAwait(false);
            }
        }

        BackendResult? result = null;
        for (; more; more = await updates.MoveNextAsync().ConfigureAwait(false))
        {
            var update = updates.Current;
            result = update.Result ?? result;
            if (events is not null && !collected && update.Text.Length > 0)
            {
                await SendAsync(new ResponseEvent("response.output_text.delta", 0) { ItemId = itemId, OutputIndex = 0, ContentIndex = 0, Delta = update.Text }).ConfigureAwait(false);
            }
        }

        var generation = (result ?? throw new InvalidOperationException("the generation ended without a result")).Generation;
        var part = new TextPart("output_text", result.Content);
        var withMessage = !collected || result.Content.Length > 0 || result.ToolCalls.Count == 0;
        List<object> output = withMessage ? [new MessageItem(itemId, "assistant", [part])] : [];
        var calls = result.ToolCalls.Select(call => new FunctionCallItem("fc_" + Guid.NewGuid().ToString("N")[..24], call.Id, call.Name, call.Arguments, "completed")).ToList();
        output.AddRange(calls);
        var usage = new ResponseUsage(generation.PromptTokens, new InputTokensDetails(generation.CachedPromptTokens), generation.CompletionTokens, new OutputTokensDetails(0), generation.PromptTokens + generation.CompletionTokens);
        var response = Response("completed", output, usage);
        await KeepAsync(grains, response, stored.Id, conversation, cancellationToken).ConfigureAwait(false);

        if (events is null)
        {
            await Results.Json(response, OpenAiJsonContext.Default.ResponseObject).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (withMessage)
        {
            if (collected)
            {
                await OpenMessageAsync().ConfigureAwait(false);
                await SendAsync(new ResponseEvent("response.output_text.delta", 0) { ItemId = itemId, OutputIndex = 0, ContentIndex = 0, Delta = result.Content }).ConfigureAwait(false);
            }

            await SendAsync(new ResponseEvent("response.output_text.done", 0) { ItemId = itemId, OutputIndex = 0, ContentIndex = 0, Text = result.Content }).ConfigureAwait(false);
            await SendAsync(new ResponseEvent("response.content_part.done", 0) { ItemId = itemId, OutputIndex = 0, ContentIndex = 0, Part = part }).ConfigureAwait(false);
            await SendAsync(new ResponseEvent("response.output_item.done", 0) { OutputIndex = 0, Item = output[0] }).ConfigureAwait(false);
        }

        // Each call as OpenAI streams one: the item opens with no arguments, they arrive, the item closes.
        for (var index = withMessage ? 1 : 0; index < output.Count; index++)
        {
            var call = (FunctionCallItem)output[index];
            await SendAsync(new ResponseEvent("response.output_item.added", 0) { OutputIndex = index, Item = call with { Arguments = "", Status = "in_progress" } }).ConfigureAwait(false);
            await SendAsync(new ResponseEvent("response.function_call_arguments.delta", 0) { ItemId = call.Id, OutputIndex = index, Delta = call.Arguments }).ConfigureAwait(false);
            await SendAsync(new ResponseEvent("response.function_call_arguments.done", 0) { ItemId = call.Id, OutputIndex = index, Name = call.Name, Arguments = call.Arguments }).ConfigureAwait(false);
            await SendAsync(new ResponseEvent("response.output_item.done", 0) { OutputIndex = index, Item = call }).ConfigureAwait(false);
        }

        await SendAsync(new ResponseEvent("response.completed", 0) { Response = response }).ConfigureAwait(false);
    }

    public static async Task<IResult> GetAsync(string id, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var info = await grains.GetGrain<IConversationGrain>(id).GetAsync(cancellationToken).ConfigureAwait(false);
        return info?.Metadata.GetValueOrDefault(ResponseKey) is { } json ? Results.Text(json, "application/json") : throw NotFound(id);
    }

    public static async Task<IResult> DeleteAsync(string id, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var conversation = grains.GetGrain<IConversationGrain>(id);
        if ((await conversation.GetAsync(cancellationToken).ConfigureAwait(false))?.Metadata.ContainsKey(ResponseKey) != true)
        {
            throw NotFound(id);
        }

        await conversation.DeleteAsync(cancellationToken).ConfigureAwait(false);
        return Results.Json(new DeletedObject(id, "response", true), OpenAiJsonContext.Default.DeletedObject);
    }

    /// <summary>What went into a response: its history and input, without its own output.</summary>
    public static async Task<IResult> InputItemsAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var conversation = grains.GetGrain<IConversationGrain>(id);
        if ((await conversation.GetAsync(context.RequestAborted).ConfigureAwait(false))?.Metadata.ContainsKey(ResponseKey) != true)
        {
            throw NotFound(id);
        }

        var items = await conversation.GetItemsAsync(context.RequestAborted).ConfigureAwait(false);
        var input = items.Count > 0 && items[^1].Role == "assistant" ? items.Take(items.Count - 1) : items;
        return Results.Json(new ItemList(ConversationsEndpoints.Ordered(input.Select(ItemReader.Show), context)), OpenAiJsonContext.Default.ItemList);
    }

    /// <summary>Stores the response with its exchange (copying a conversation's), or forgets it when <c>store</c> is false.</summary>
    private static async Task KeepAsync(IGrainFactory grains, ResponseObject response, string modelId, string? conversation, CancellationToken cancellationToken)
    {
        var own = grains.GetGrain<IConversationGrain>(response.Id);
        if (!response.Store)
        {
            if (conversation is null)
            {
                await own.DeleteAsync(cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var metadata = new Dictionary<string, string> { [ResponseKey] = JsonSerializer.Serialize(response, OpenAiJsonContext.Default.ResponseObject) };
        if (conversation is null)
        {
            await own.UpdateMetadataAsync(metadata, cancellationToken).ConfigureAwait(false);
            return;
        }

        var items = await grains.GetGrain<IConversationGrain>(conversation).GetItemsAsync(cancellationToken).ConfigureAwait(false);
        await own.CreateAsync(modelId, response.Model, items, metadata, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<ConversationItem>> HistoryAsync(IGrainFactory grains, string previous, CancellationToken cancellationToken)
    {
        var conversation = grains.GetGrain<IConversationGrain>(previous);
        if ((await conversation.GetAsync(cancellationToken).ConfigureAwait(false))?.Metadata.ContainsKey(ResponseKey) != true)
        {
            throw ApiException.NotFound($"previous response '{previous}' not found (it was deleted, or not stored)", "previous_response_id");
        }

        return await conversation.GetItemsAsync(cancellationToken).ConfigureAwait(false);
    }

    private static ApiException NotFound(string id) => ApiException.NotFound($"response '{id}' not found", "response_id");

    private static Dictionary<string, string> Metadata(RequestFields body)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (body.Fields("metadata") is { } fields)
        {
            foreach (var property in fields.Json.EnumerateObject())
            {
                metadata[property.Name] = fields.String(property.Name) ?? "";
            }
        }

        return metadata;
    }
}
