using System.Text;
using System.Text.Json;
using Fabric.Node.Cli;

namespace Fabric.Node.Tests.Cli;

public sealed class ApplyAnswerTests
{
    private static ApplyResult Parse(string json) => ApplyAnswer.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void The_agents_answer_in_any_key_order_with_escapes_and_keys_it_does_not_know()
    {
        var result = Parse("""
            { "diagnostics": ["a.yaml:3:5: \"x\" \\ \/ \u00e9\ud83d\ude00\t\n", "ü ok", null],
              "extra": {"nested": [1, 2.5e-3, -0, true, false, null, {}]}, "applied" : true, "generation": 42 }
            """);
        Assert.True(result.Applied);
        Assert.Equal(42, result.Generation);
        Assert.Equal(["a.yaml:3:5: \"x\" \\ / é😀\t\n", "ü ok", ""], result.Diagnostics);
    }

    [Fact]
    public void A_rejection_has_no_generation()
    {
        var result = Parse("""{"applied":false,"generation":null,"diagnostics":[]}""");
        Assert.False(result.Applied);
        Assert.Null(result.Generation);
        Assert.Empty(result.Diagnostics);
    }

    /// <summary>The same verdict System.Text.Json gives: the CLI reports "the answer was not the agent API's JSON".</summary>
    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"applied\":true,}")]
    [InlineData("{\"applied\":tru}")]
    [InlineData("{\"applied\":true} x")]
    [InlineData("{'applied':true}")]
    [InlineData("{\"applied\":true,\"diagnostics\":[\"\\x\"]}")]
    [InlineData("{\"applied\":true,\"diagnostics\":[\"\\u12\"]}")]
    [InlineData("{\"applied\":true,\"generation\":01}")]
    [InlineData("{\"applied\":true,\"diagnostics\":[\"tab\there\"]}")]
    [InlineData("[]")]
    [InlineData("{\"applied\":\"yes\"}")]
    [InlineData("{\"generation\":1}")]
    [InlineData("{\"applied\":true,\"generation\":1.5}")]
    [InlineData("{\"applied\":true,\"diagnostics\":{}}")]
    [InlineData("{\"applied\":true,\"diagnostics\":[1]}")]
    public void Anything_else_is_a_json_error(string json) => Assert.Throws<JsonException>(() => Parse(json));

    [Fact]
    public void Deep_nesting_is_refused_not_a_stack_overflow() =>
        Assert.Throws<JsonException>(() => Parse("{\"applied\":true,\"x\":" + new string('[', 10_000) + new string(']', 10_000) + "}"));
}
