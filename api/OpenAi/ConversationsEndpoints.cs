using Microsoft.AspNetCore.Http;
using ModelRunner.Api.Errors;
using ModelRunner.Api.OpenAi.Contracts;
using ModelRunner.Api.Requests;
using ModelRunner.Grains.Conversations;

namespace ModelRunner.Api.OpenAi;

/// <summary>
/// The Conversations API: conversations kept by conversation grains (persisted, so they survive
/// restarts), their metadata and items. Responses continue one with <c>conversation</c>.
/// </summary>
internal static class ConversationsEndpoints
{
    public static async Task<IResult> CreateAsync(HttpContext context, IGrainFactory grains)
    {
        var body = context.Request.ContentLength is 0 ? null : (RequestFields?)await JsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var items = body is { } fields && fields.Has("items") ? ItemReader.ToConversationItems(ItemReader.Messages(fields, "items")) : [];
        var id = "conv_" + Guid.NewGuid().ToString("N");
        var info = await grains.GetGrain<IConversationGrain>(id).CreateAsync(null, null, items, Metadata(body), context.RequestAborted).ConfigureAwait(false);
        return Show(info);
    }

    public static async Task<IResult> GetAsync(string id, IGrainFactory grains, CancellationToken cancellationToken) =>
        Show(await grains.GetGrain<IConversationGrain>(id).GetAsync(cancellationToken).ConfigureAwait(false) ?? throw NotFound(id));

    public static async Task<IResult> UpdateAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var body = await JsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        return Show(await grains.GetGrain<IConversationGrain>(id).UpdateMetadataAsync(Metadata(body), context.RequestAborted).ConfigureAwait(false));
    }

    public static async Task<IResult> DeleteAsync(string id, IGrainFactory grains, CancellationToken cancellationToken) =>
        await grains.GetGrain<IConversationGrain>(id).DeleteAsync(cancellationToken).ConfigureAwait(false)
            ? Results.Json(new DeletedObject(id, "conversation.deleted", true), OpenAiJsonContext.Default.DeletedObject)
            : throw NotFound(id);

    public static async Task<IResult> ItemsAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var items = await grains.GetGrain<IConversationGrain>(id).GetItemsAsync(context.RequestAborted).ConfigureAwait(false);
        return Results.Json(new ItemList(Ordered(items.Select(ItemReader.Show), context)), OpenAiJsonContext.Default.ItemList);
    }

    public static async Task<IResult> AddItemsAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var body = await JsonRequest.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var added = ItemReader.ToConversationItems(ItemReader.Messages(body, "items"));
        await grains.GetGrain<IConversationGrain>(id).AddItemsAsync(added, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(new ItemList([.. added.Select(ItemReader.Show)]), OpenAiJsonContext.Default.ItemList);
    }

    /// <summary>Items newest first unless <c>?order=asc</c>, as OpenAI lists them.</summary>
    public static IReadOnlyList<MessageItem> Ordered(IEnumerable<MessageItem> items, HttpContext context) =>
        context.Request.Query["order"] == "asc" ? [.. items] : [.. items.Reverse()];

    public static ApiException NotFound(string id) => ApiException.NotFound($"conversation '{id}' not found", "conversation_id");

    private static IResult Show(ConversationInfo info) =>
        Results.Json(new ConversationObject(info.Id, info.CreatedAt.ToUnixTimeSeconds(), info.Metadata), OpenAiJsonContext.Default.ConversationObject);

    private static Dictionary<string, string> Metadata(RequestFields? body)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (body?.Fields("metadata") is { } fields)
        {
            foreach (var property in fields.Json.EnumerateObject())
            {
                metadata[property.Name] = fields.String(property.Name) ?? "";
            }
        }

        return metadata;
    }
}
