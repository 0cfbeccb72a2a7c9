using System.Text;
using System.Text.Json.Nodes;

namespace ModelRunner.Api.Tests.Fuzzing;

/// <summary>
/// Makes malformed requests from a seed, so a failure replays exactly: each starts from a
/// valid request for a route and gets one to three mutations — fields dropped or retyped, huge
/// and negative numbers, absurd limits, deep nesting, hostile names and paths, long stop lists,
/// broken tool and schema definitions, and at the byte level truncated JSON, invalid UTF-8 and
/// wrong content types. Not thread-safe.
/// </summary>
internal sealed class MalformedRequests(int seed)
{
    // Stands for a value that JsonNode cannot hold (a nesting deeper than any parser allows,
    // a number beyond a double); replaced in the serialized text.
    private const string RawMarker = "\u0001raw:";

    /// <summary>Never valid references: traversal, absolute paths, separators, control characters, absurd length.</summary>
    private static readonly string[] InvalidNames =
    [
        "../../../../etc/passwd", "ai/../../../etc/passwd", "..", "ai/..", "/etc/passwd", "ai//x", "ai/x:", "ai/x:../y",
        "ai/x@sha256:123", "ai/x y", "ai/\u0000", "", " ", "ai/" + new string('a', 3000), "hf.co/../../x", "file:///etc/passwd",
        "ai/%2e%2e/%2e%2e/x", "C:\\Windows\\System32", "ai/x\ny", "ai/x:tag:tag", "ai/" + new string('/', 50)
    ];

    /// <summary>Names of real models, and of models that are valid but absent.</summary>
    private static readonly string[] RealNames = [TestServer.Model, TestServer.EmbeddingModel, "tiny-random", "ai/tiny-random:latest", "ai/absent-model"];

    private static readonly string[] Ids =
    [
        "resp_0123456789abcdef", "conv_0123456789abcdef", "..%2F..%2F..%2Fetc%2Fpasswd", "%2e%2e", "sha256:" + new string('0', 64), "sha256:../../x",
        "sha256:" + new string('g', 64), "/etc/passwd", new string('x', 5000), "%00", "%FF%FE", "conv_%0Aevil", "..",
    ];

    private static readonly string[] AbsurdFields =
    [
        "max_tokens", "max_completion_tokens", "max_output_tokens", "n", "top_logprobs", "logprobs", "temperature", "top_p", "top_k", "min_p", "seed",
        "presence_penalty", "frequency_penalty", "repeat_penalty", "keep_alive", "context-size", "context_size", "num_predict", "num_ctx", "dimensions",
    ];

    private static readonly string[] AbsurdNumbers =
    [
        "1e30", "1.7e308", "-1.7e308", "1e400", "-1e400", "-1", "0", "-0", "2147483648", "-2147483649", "9223372036854775808", "1e-320", "0.5", "4294967296",
        "99999999999999999999999999999", "-9223372036854775809", "3.4e38", "1E+2", "NaN", "Infinity", "0x10", "01",
    ];

    private static readonly string[] Bodies =
    [
        "", "null", "[]", "\"text\"", "123", "{}", "{{{", "{\"model\":", "\uFEFF{}", "{\"a\":1}{\"b\":2}", "{\"model\":\"x\",\"model\":2}", "\0\0\0", "true",
        "[{\"model\":\"ai/tiny-random\"}]", "{\"model\":\"ai/tiny-random\",}", "{'model':'ai/tiny-random'}", "{\"model\":\"ai/tiny-random\" /* c */}",
    ];

    private static readonly string?[] ContentTypes =
    [
        null, "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json; charset=latin1",
        "application/json; charset=utf-16", "application/octet-stream", "application/json;;;", "*/*", "application/ndjson",
    ];

    private static readonly byte[][] InvalidUtf8 = [[0xFF], [0xC0, 0x80], [0x80], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82], [0xFE, 0xFF], [0xF4, 0x90, 0x80, 0x80]];

    private static readonly string[] HostileStrings =
    [
"<s></s><|im_start|>system\n<|im_end|>", "\u0000\u0001\u001b[2J", new string('a', 20_000), "{{ raise_exception('x') }}",
        "%s%s%n", "../../etc/passwd", "\u202e\u2066", string.Concat(Enumerable.Repeat("🦙", 1000)),
    ];

    /// <summary>The fields in which destructive routes read model names.</summary>
    private static readonly string[] NameFields = ["model", "name", "from", "destination", "tag"];

    /// <summary>
    /// Keep-alives that are wrong or extreme. Not 0 or a fraction of a second: those are valid
    /// requests to unload at once, and reloading the model after each would only slow the run.
    /// </summary>
    private static readonly string[] AbsurdKeepAlives = ["1e30", "1.7e308", "-1.7e308", "1e400", "-1", "9223372036854775808", "\"99999999999h\"", "\"-5m\"", "\"soon\"", "\"1e30\"", "\"NaN\"", "\"\"", "[]"];

    private static readonly string[] InvalidLengths = ["0", "-5", "1e30", "\"two\"", "2.5", "[]", "2147483648", "true", "{}"];

    private static readonly string[] Methods = ["PUT", "PATCH", "OPTIONS", "TRACE", "POST", "GET", "DELETE"];

    private readonly Random _random = new(seed);

    /// <summary>The texts the raw markers of the request being built stand for.</summary>
    private readonly List<string> _raws = [];

    public MalformedRequest Next()
    {
        _raws.Clear();
        var route = Pick(FuzzRoutes.All);
        var names = new FuzzNames(
            route.Destructive || Chance(0.3) ? Pick(InvalidNames) : Pick(RealNames),
            Pick(Ids));
        var method = Chance(0.03) ? Pick(Methods) : route.Method;
        var path = Fill(route.Path, names);
        var hostilePath = Chance(0.05);
        if (hostilePath)
        {
            path = HostilePath(path);
        }

        if (route.Body is null)
        {
            // A body where none is expected, sometimes.
            return new MalformedRequest($"{route.Method} {route.Path}", method, path, Chance(0.1) ? Encoding.UTF8.GetBytes(Pick(Bodies)) : null, Chance(0.5) ? "application/json" : null);
        }

        var body = route.Body(names);
        var mutations = 1 + _random.Next(3);
        for (var i = 0; i < mutations; i++)
        {
            Mutate(body);
        }

        KeepGenerationShort(body, route.LengthField);
        if (route.Destructive)
        {
            // A mutation may have put a valid name where a destructive route reads one (a pull of
            // "text" would go to the internet): those fields only ever hold invalid names.
            foreach (var field in NameFields)
            {
                if (body[field] is JsonValue value && value.TryGetValue<string>(out var name) && !InvalidNames.Contains(name) && !name.StartsWith(RawMarker, StringComparison.Ordinal))
                {
                    body[field] = Pick(InvalidNames);
                }
            }
        }

        if (route.LengthField is { } length && Chance(0.75))
        {
            // Mostly requests that fail validation: a generation that runs costs seconds on two busy cores.
            var broken = Raw(Pick(InvalidLengths));
            if (length == "num_predict" && body["options"] is JsonObject options)
            {
                options[length] = broken;
            }
            else
            {
                body[length == "num_predict" ? "max_tokens" : length] = broken;
            }
        }

        var text = Serialize(body);
        var bytes = Encoding.UTF8.GetBytes(text);
        var contentType = "application/json";
        switch (_random.Next(10))
        {
            case 0:
                bytes = bytes[..(bytes.Length == 0 ? 0 : _random.Next(bytes.Length))];
                break;
            case 1:
                bytes = WithInvalidUtf8(bytes);
                break;
            case 2:
                contentType = Pick(ContentTypes)!;
                break;
            case 3 when Chance(0.5):
                bytes = Encoding.UTF8.GetBytes(Pick(Bodies));
                break;
        }

        // Kestrel refuses a path holding NUL before reading the body, and closes the connection:
        // a client still sending a body sees a send error, not the 400. The path is the test there.
        return new MalformedRequest($"{route.Method} {route.Path}", method, path, path.Contains("%00", StringComparison.Ordinal) ? null : bytes, contentType);
    }

    private void Mutate(JsonObject body)
    {
        switch (_random.Next(12))
        {
            case 0:
                Drop(body);
                break;
            case 1:
                Replace(body, RandomValue());
                break;
            case 2:
                Replace(body, Raw(Pick(AbsurdNumbers)));
                break;
            case 3:
                Absurd(body);
                break;
            case 4:
                Replace(body, Raw(Nesting(_random.Next(2) == 0 ? 10 + _random.Next(60) : 100 + _random.Next(5000))));
                break;
            case 5:
                StopList(body);
                break;
            case 6:
                Tools(body);
                break;
            case 7:
                Schemas(body);
                break;
            case 8:
                // Lone surrogates cannot be held in a JsonNode string: they go in escaped.
                Replace(body, Chance(0.2) ? Raw(Pick(new[] { "\"\\ud800\"", "\"\\udfff x\"", "\"\\u0000\"" })) : Pick(HostileStrings));
                break;
            case 9:
                Messages(body);
                break;
            case 10:
                body["model"] = Chance(0.5) ? Pick(InvalidNames) : RandomValue();
                break;
            default:
                body[Pick(["stream", "store", "echo", "raw", "truncate", "logprobs"])] = Chance(0.5) ? true : RandomValue();
                break;
        }
    }

    /// <summary>
    /// A mutation that leaves a generation valid but unbounded (its length dropped, nulled, or set
    /// to a large valid count) would run it to the end of the context: on two busy cores that is
    /// tens of seconds, for nothing the fuzzing is after. Such a length goes back to two tokens;
    /// lengths that are invalid (huge, negative, fractional, of another type) stay.
    /// </summary>
    private static void KeepGenerationShort(JsonObject body, string? lengthField)
    {
        switch (lengthField)
        {
            case null:
                return;
            case "num_predict":
                // Ollama: no options, or a negative num_predict, runs to the end of the context.
                if (body["options"] is null)
                {
                    body["options"] = new JsonObject();
                }

                if (body["options"] is JsonObject options && Unbounded(options["num_predict"], negativeIsUnbounded: true))
                {
                    options["num_predict"] = 2;
                }

                return;
            default:
                if (Unbounded(body[lengthField], negativeIsUnbounded: false))
                {
                    body[lengthField] = 2;
                }

                return;
        }
    }

    private static bool Unbounded(JsonNode? length, bool negativeIsUnbounded) =>
        length is null || (length is JsonValue value && value.TryGetValue<int>(out var count) && (count > 4 || (negativeIsUnbounded && count < 0)));

    private void Absurd(JsonObject body)
    {
        var target = body["options"] is JsonObject options && Chance(0.5) ? options : body;
        var field = Pick(AbsurdFields);
        target[field] = Raw(field == "keep_alive" ? Pick(AbsurdKeepAlives) : Pick(AbsurdNumbers));
    }

    private void StopList(JsonObject body)
    {
        var count = Pick(new[] { 0, 1, 5, 100, 5000 });
        var stops = new JsonArray([.. Enumerable.Range(0, count).Select(i => (JsonNode?)(Chance(0.1) ? RandomValue() : i % 7 == 0 ? "" : new string('s', 1 + i % 300)))]);
        var name = Pick(new[] { "stop", "stop_sequences" });
        if (body["options"] is JsonObject options)
        {
            options["stop"] = stops;
        }
        else
        {
            body[name] = Chance(0.8) ? stops : RandomValue();
        }
    }

    private void Tools(JsonObject body)
    {
        JsonNode? tool = _random.Next(8) switch
        {
            0 => new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = "", ["parameters"] = "not a schema" } },
            1 => new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = "../../x", ["parameters"] = Raw(Nesting(200)) } },
            2 => new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = "f", ["parameters"] = new JsonObject { ["$ref"] = "#" } } },
            3 => new JsonObject { ["type"] = "retrieval" },
            4 => new JsonObject { ["name"] = "t", ["input_schema"] = RandomValue() },
            5 => new JsonObject { ["type"] = "function", ["function"] = RandomValue() },
            6 => RandomValue(),
            _ => new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = new string('n', 10_000), ["parameters"] = new JsonObject { ["type"] = "object" } } },
        };
        var count = Pick(new[] { 1, 2, 300 });
        body["tools"] = new JsonArray([.. Enumerable.Range(0, count).Select(_ => tool?.DeepClone())]);
        if (Chance(0.5))
        {
            body["tool_choice"] = Chance(0.5) ? Pick(new[] { "required", "none", "any", "bogus" }) : new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = "missing" } };
        }
    }

    private void Schemas(JsonObject body)
    {
        JsonNode? schema = _random.Next(10) switch
        {
            0 => new JsonObject { ["$ref"] = "#" },
            1 => new JsonObject { ["type"] = "array", ["minItems"] = Raw("1e9") },
            2 => new JsonObject { ["type"] = "string", ["pattern"] = "(a+)+$" },
            3 => new JsonObject { ["enum"] = new JsonArray() },
            4 => new JsonObject { ["type"] = new JsonArray("string", "null", 5) },
            5 => new JsonObject { ["anyOf"] = new JsonArray() },
            6 => new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["a"] = new JsonObject { ["$ref"] = "#/properties/a" } } },
            7 => new JsonObject { ["type"] = "string", ["minLength"] = Raw("-5"), ["maxLength"] = Raw("1e308") },
            8 => Raw(Nesting(63)),
            _ => RandomValue(),
        };
        switch (_random.Next(3))
        {
            case 0:
                body["response_format"] = new JsonObject { ["type"] = Pick(new[] { "json_schema", "json_object", "text", "xml" }), ["json_schema"] = new JsonObject { ["name"] = "s", ["schema"] = schema } };
                break;
            case 1:
                body["format"] = schema;
                break;
            default:
                body["text"] = new JsonObject { ["format"] = new JsonObject { ["type"] = "json_schema", ["name"] = "s", ["schema"] = schema } };
                break;
        }
    }

    private void Messages(JsonObject body)
    {
        JsonNode? message = _random.Next(7) switch
        {
            0 => new JsonObject { ["role"] = Pick(new[] { "bogus", "tool", "system", "assistant", "" }), ["content"] = "Hi" },
            1 => new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = "file:///etc/passwd" } }) },
            2 => new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "bogus" }, RandomValue()) },
            3 => new JsonObject { ["role"] = "user" },
            4 => new JsonObject { ["role"] = "assistant", ["tool_calls"] = new JsonArray(new JsonObject { ["function"] = new JsonObject { ["name"] = "f", ["arguments"] = "{not json" } }) },
            5 => new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = RandomValue(), ["content"] = RandomValue() }) },
            _ => RandomValue(),
        };
        var count = Pick(new[] { 0, 1, 3, 2000 });
        var key = body.ContainsKey("input") ? "input" : body.ContainsKey("items") ? "items" : "messages";
        body[key] = new JsonArray([.. Enumerable.Range(0, count).Select(_ => message?.DeepClone())]);
    }

    /// <summary>Removes a property somewhere in the tree.</summary>
    private void Drop(JsonObject body)
    {
        var (parent, key) = PickProperty(body);
        parent.Remove(key);
    }

    /// <summary>Replaces the value of a property somewhere in the tree.</summary>
    private void Replace(JsonObject body, JsonNode? value)
    {
        var (parent, key) = PickProperty(body);
        parent[key] = value;
    }

    private (JsonObject Parent, string Key) PickProperty(JsonObject body)
    {
        var candidates = new List<(JsonObject, string)>();
        Collect(body, candidates);
        return candidates.Count == 0 ? (body, "model") : candidates[_random.Next(candidates.Count)];
    }

    private static void Collect(JsonNode? node, List<(JsonObject, string)> into)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    into.Add((obj, key));
                    Collect(value, into);
                }

                break;
            case JsonArray array:
                foreach (var item in array.Take(5))
                {
                    Collect(item, into);
                }

                break;
        }
    }

    private JsonNode? RandomValue() => _random.Next(12) switch
    {
        0 => "text",
        1 => 123,
        2 => -1,
        3 => true,
        4 => null,
        5 => new JsonArray(),
        6 => new JsonObject(),
        7 => new JsonArray(1, "a", null, new JsonObject()),
        8 => new JsonObject { ["a"] = new JsonObject() },
        9 => 1.5,
        10 => "",
        _ => Raw(Pick(AbsurdNumbers)),
    };

    private string Nesting(int depth)
    {
        var (open, close) = Chance(0.5) ? ("[", "]") : ("{\"a\":", "}");
        return string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));
    }

    private byte[] WithInvalidUtf8(byte[] bytes)
    {
        var at = bytes.Length == 0 ? 0 : _random.Next(bytes.Length);
        // Prefer the inside of a string, where a lenient parser would let it through.
        var quote = Array.IndexOf(bytes, (byte)'"', at);
        at = quote >= 0 ? quote + 1 : at;
        return [.. bytes[..at], .. Pick(InvalidUtf8), .. bytes[at..]];
    }

    private string HostilePath(string path) => _random.Next(5) switch
    {
        0 => path + "/../../../../etc/passwd",
        1 => path + "%2F..%2F..%2F..%2Fetc%2Fpasswd",
        2 => path + "?" + string.Concat(Enumerable.Repeat("a=1&", 2000)),
        3 => path.Replace("/", "//", StringComparison.Ordinal),
        _ => path + "/%00%FF",
    };

    private JsonNode Raw(string text)
    {
        _raws.Add(text);
        return RawMarker + (_raws.Count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private string Serialize(JsonObject body)
    {
        var text = new StringBuilder(body.ToJsonString());
        // A raw value went out as the escaped string "\u0001raw:<index>"; put its text in its place.
        const string escaped = "\"\\u0001raw:";
        for (var i = _raws.Count - 1; i >= 0; i--)
        {
            text.Replace($"{escaped}{i}\"", _raws[i]);
        }

        return text.ToString();
    }

    private static string Fill(string path, FuzzNames names) =>
        path.Replace("{model}", Uri.EscapeDataString(names.Model).Replace("%2F", "/", StringComparison.Ordinal), StringComparison.Ordinal)
            .Replace("{id}", names.Id, StringComparison.Ordinal);

    private bool Chance(double probability) => _random.NextDouble() < probability;

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
}
