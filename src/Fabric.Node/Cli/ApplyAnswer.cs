using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Fabric.Node.Cli;

/// <summary>Reads the agent's answer to an apply, {"applied": bool, "generation": n|null, "diagnostics": [string]},
/// with a JSON reader of its own: loading System.Text.Json and JsonDocument cost `fabric apply` about 9 ms, a third
/// of its own run time. Full JSON syntax is accepted (any key order, unknown keys, escapes, nesting); anything
/// that is not JSON, or not that shape, is a <see cref="JsonException"/> like System.Text.Json would raise.</summary>
internal static class ApplyAnswer
{
    public static ApplyResult Parse(byte[] body)
    {
        var reader = new MiniJsonReader(TextBytes.Utf8(body));
        if (reader.ReadDocument() is not Dictionary<string, object?> root)
            throw new JsonException("the apply answer is not a JSON object");
        if (!root.TryGetValue("applied", out var applied) || applied is not bool isApplied)
            throw new JsonException("the apply answer has no \"applied\": true or false");
        long? generation = root.TryGetValue("generation", out var g) ? g switch
        {
            null => null,
            MiniJsonReader.Number n when long.TryParse(n.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) => value,
            _ => throw new JsonException("the apply answer's \"generation\" is not a whole number"),
        } : null;
        var diagnostics = new List<string>();
        if (root.TryGetValue("diagnostics", out var d) && d is not null)
        {
            if (d is not List<object?> items) throw new JsonException("the apply answer's \"diagnostics\" is not a list");
            foreach (var item in items)
                diagnostics.Add(item switch
                {
                    null => "",
                    string text => text,
                    _ => throw new JsonException("the apply answer's \"diagnostics\" holds something other than text"),
                });
        }
        return new ApplyResult(isApplied, generation, diagnostics);
    }
}

/// <summary>RFC 8259 JSON to plain values: objects become Dictionary&lt;string, object?&gt; (a repeated key keeps
/// the last value, as System.Text.Json's JsonDocument lookups do), arrays List&lt;object?&gt;, strings string,
/// true/false bool, null null, numbers <see cref="Number"/> (their text, so no precision is lost).</summary>
internal sealed class MiniJsonReader(string text)
{
    private const int MaxDepth = 64;
    private int _at;

    public sealed record Number(string Text);

    public object? ReadDocument()
    {
        var value = ReadValue(0);
        SkipWhitespace();
        if (_at != text.Length) throw Error("unexpected text after the JSON value");
        return value;
    }

    private object? ReadValue(int depth)
    {
        if (depth > MaxDepth) throw Error($"nested deeper than {MaxDepth}");
        SkipWhitespace();
        if (_at >= text.Length) throw Error("the JSON ended early");
        switch (text[_at])
        {
            case '{': return ReadObject(depth);
            case '[': return ReadArray(depth);
            case '"': return ReadString();
            case 't': Expect("true"); return true;
            case 'f': Expect("false"); return false;
            case 'n': Expect("null"); return null;
            case '-' or (>= '0' and <= '9'): return ReadNumber();
            default: throw Error($"unexpected '{text[_at]}'");
        }
    }

    private Dictionary<string, object?> ReadObject(int depth)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        _at++;
        SkipWhitespace();
        if (Peek() == '}') { _at++; return map; }
        while (true)
        {
            SkipWhitespace();
            if (Peek() != '"') throw Error("expected a property name in quotes");
            var key = ReadString();
            SkipWhitespace();
            if (Peek() != ':') throw Error("expected ':' after a property name");
            _at++;
            map[key] = ReadValue(depth + 1);
            SkipWhitespace();
            var next = Peek();
            _at++;
            if (next == '}') return map;
            if (next != ',') throw Error("expected ',' or '}' in an object");
        }
    }

    private List<object?> ReadArray(int depth)
    {
        var list = new List<object?>();
        _at++;
        SkipWhitespace();
        if (Peek() == ']') { _at++; return list; }
        while (true)
        {
            list.Add(ReadValue(depth + 1));
            SkipWhitespace();
            var next = Peek();
            _at++;
            if (next == ']') return list;
            if (next != ',') throw Error("expected ',' or ']' in a list");
        }
    }

    private string ReadString()
    {
        _at++; // the opening quote
        var result = new StringBuilder();
        while (true)
        {
            if (_at >= text.Length) throw Error("a string is not closed");
            var c = text[_at++];
            if (c == '"') return result.ToString();
            if (c < ' ') throw Error("a control character inside a string");
            if (c != '\\') { result.Append(c); continue; }
            if (_at >= text.Length) throw Error("a string is not closed");
            var escape = text[_at++];
            switch (escape)
            {
                case '"' or '\\' or '/': result.Append(escape); break;
                case 'b': result.Append('\b'); break;
                case 'f': result.Append('\f'); break;
                case 'n': result.Append('\n'); break;
                case 'r': result.Append('\r'); break;
                case 't': result.Append('\t'); break;
                case 'u':
                    // Surrogate pairs arrive as two \u escapes; appending both code units joins them.
                    if (_at + 4 > text.Length || !ushort.TryParse(text.AsSpan(_at, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                        throw Error("\\u must be followed by four hex digits");
                    result.Append((char)code);
                    _at += 4;
                    break;
                default: throw Error($"unknown escape \\{escape}");
            }
        }
    }

    /// <summary>-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?</summary>
    private Number ReadNumber()
    {
        var start = _at;
        if (Peek() == '-') _at++;
        if (Peek() == '0') _at++;
        else if (!Digits()) throw Error("a number needs digits");
        if (Peek() == '.')
        {
            _at++;
            if (!Digits()) throw Error("a decimal point must be followed by digits");
        }
        if (Peek() is 'e' or 'E')
        {
            _at++;
            if (Peek() is '+' or '-') _at++;
            if (!Digits()) throw Error("an exponent needs digits");
        }
        return new Number(text[start.._at]);
    }

    private bool Digits()
    {
        var start = _at;
        while (Peek() is >= '0' and <= '9') _at++;
        return _at > start;
    }

    private void Expect(string literal)
    {
        if (string.CompareOrdinal(text, _at, literal, 0, literal.Length) != 0) throw Error($"expected {literal}");
        _at += literal.Length;
    }

    private char Peek() => _at < text.Length ? text[_at] : '\0';

    private void SkipWhitespace()
    {
        while (_at < text.Length && text[_at] is ' ' or '\t' or '\n' or '\r') _at++;
    }

    private JsonException Error(string what) => new($"{what} at offset {_at}");
}
