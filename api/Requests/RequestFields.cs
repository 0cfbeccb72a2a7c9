using System.Text.Json;
using ModelRunner.Api.Errors;
using ModelRunner.Grains.Models;

namespace ModelRunner.Api.Requests;

/// <summary>
/// Typed access to the fields of a JSON object in a request. A field that is absent or
/// <c>null</c> reads as null; one of the wrong type is a 400 naming it by its path
/// (<c>messages[1].content</c>).
/// </summary>
public readonly record struct RequestFields(JsonElement Json, string Path)
{
    public bool Has(string name) => Json.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public JsonElement? Element(string name) =>
        Json.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public string Name(string name) => Path.Length == 0 ? name : $"{Path}.{name}";

    public string RequiredString(string name) =>
        String(name) is { Length: > 0 } value ? value : throw ApiException.Invalid($"'{Name(name)}' is required", Name(name));

    public string? String(string name) => Element(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        _ => throw Wrong(name, "a string"),
    };

    public bool? Bool(string name) => Element(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw Wrong(name, "true or false"),
    };

    /// <summary>A number; one beyond a double's range (<c>1e400</c>) is refused rather than read as infinity.</summary>
    public double? Number(string name) => Element(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } value when value.TryGetDouble(out var number) && double.IsFinite(number) => number,
        { ValueKind: JsonValueKind.Number } => throw Wrong(name, "a finite number"),
        _ => throw Wrong(name, "a number"),
    };

    public float? Float(string name) => Number(name) is { } value ? (float)value : null;

    public int? Int(string name) => Element(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt32(out var number) => number,
        _ => throw Wrong(name, "an integer"),
    };

    /// <summary>An integer that must be at least <paramref name="minimum"/>.</summary>
    public int? Int(string name, int minimum) => Int(name) is { } value && value < minimum
        ? throw ApiException.Invalid($"'{Name(name)}' must be at least {minimum}", Name(name))
        : Int(name);

    /// <summary>A number that must lie between <paramref name="minimum"/> and <paramref name="maximum"/>.</summary>
    public float? Float(string name, float minimum, float maximum) => Float(name) is { } value && (value < minimum || value > maximum)
        ? throw ApiException.Invalid($"'{Name(name)}' must be between {minimum} and {maximum}", Name(name))
        : Float(name);

    public RequestFields? Fields(string name) => Element(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Object } value => new RequestFields(value, Name(name)),
        _ => throw Wrong(name, "an object"),
    };

    public IReadOnlyList<JsonElement>? Array(string name) => Element(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Array } value => [.. value.EnumerateArray()],
        _ => throw Wrong(name, "an array"),
    };

    /// <summary>The objects of an array field, each with its own path (<c>messages[2]</c>).</summary>
    public IReadOnlyList<RequestFields>? Objects(string name)
    {
        if (Array(name) is not { } items)
        {
            return null;
        }

        var objects = new List<RequestFields>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"{Name(name)}[{i}]";
            objects.Add(items[i].ValueKind == JsonValueKind.Object
                ? new RequestFields(items[i], path)
                : throw ApiException.Invalid($"'{path}' must be an object", path));
        }

        return objects;
    }

    /// <summary>A string or an array of strings (OpenAI's <c>stop</c>, <c>input</c>).</summary>
    public IReadOnlyList<string>? Strings(string name) => Element(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value => [value.GetString()!],
        { ValueKind: JsonValueKind.Array } value when value.EnumerateArray().All(item => item.ValueKind == JsonValueKind.String) =>
            [.. value.EnumerateArray().Select(item => item.GetString()!)],
        _ => throw Wrong(name, "a string or an array of strings"),
    };

    /// <summary>A keep-alive: a duration string (<c>"5m"</c>, <c>"1h30m"</c>) or seconds; negative means forever.</summary>
    public TimeSpan? Duration(string name)
    {
        try
        {
            return Element(name) switch
            {
                null => null,
                { ValueKind: JsonValueKind.Number } => KeepAlive.FromSeconds(Number(name)!.Value),
                { ValueKind: JsonValueKind.String } text => KeepAlive.Parse(text.GetString()!),
                _ => throw Wrong(name, "a duration such as \"5m\" or a number of seconds"),
            };
        }
        catch (ArgumentException invalid)
        {
            // KeepAlive names its own argument; the client's field is this one.
            var reason = invalid.ParamName is { } parameter ? invalid.Message.Replace($" (Parameter '{parameter}')", "", StringComparison.Ordinal) : invalid.Message;
            throw ApiException.Invalid(reason, Name(name));
        }
    }

    public ApiException Wrong(string name, string expected) =>
        ApiException.Invalid($"'{Name(name)}' must be {expected}", Name(name));
}
