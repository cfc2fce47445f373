using DistributedSync.Mongo.Authentication;
using Xunit;

namespace DistributedSync.Mongo.Tests.Authentication;

public sealed class SaslPrepTests
{
    /// <summary>The examples of RFC 4013 section 3 that succeed, plus mapping cases of tables B.1 and C.1.2.</summary>
    public static TheoryData<string, string, string> Prepared => new()
    {
        { "RFC 4013 #1: SOFT HYPHEN mapped to nothing", "I\u00ADX", "IX" },
        { "RFC 4013 #2: no transformation", "user", "user" },
        { "RFC 4013 #3: case preserved", "USER", "USER" },
        { "RFC 4013 #4: output is NFKC", "\u00AA", "a" },
        { "RFC 4013 #5: ROMAN NUMERAL NINE to IX", "\u2168", "IX" },
        { "auth spec: ROMAN NUMERAL FOUR to IV", "\u2163", "IV" },
        { "NO-BREAK SPACE mapped to space", "a\u00A0b", "a b" },
        { "IDEOGRAPHIC SPACE mapped to space", "a\u3000b", "a b" },
        { "ZERO WIDTH SPACE (B.1 and C.1.2) mapped to nothing", "a\u200Bb", "ab" },
        { "variation selector mapped to nothing", "a\uFE0Fb", "ab" },
        { "composed by NFKC", "e\u0301", "\u00E9" },
        { "right-to-left only string", "\u0627\u0628", "\u0627\u0628" },
        { "right-to-left ends with neutral in the middle", "\u0627 1\u0628", "\u0627 1\u0628" },
        { "supplementary plane letter", "\U0001D400", "A" },
        { "empty string", "", "" },
    };

    /// <summary>Inputs SASLprep must reject, with a fragment the message must contain.</summary>
    public static TheoryData<string, string, string> Rejected => new()
    {
        { "RFC 4013 #6: BELL is prohibited", "\u0007", "C.2.1" },
        { "RFC 4013 #7: bidi check", "\u0627\u0031", "section 6" },
        { "DEL is an ASCII control", "a\u007Fb", "C.2.1" },
        { "C1 control", "a\u0085b", "C.2.2" },
        { "LINE SEPARATOR", "a\u2028b", "C.2.2" },
        { "private use", "a\uE000b", "C.3" },
        { "non-character", "a\uFDD0b", "C.4" },
        { "replacement character area (C.6)", "a\uFFFDb", "C.6" },
        { "ideographic description character", "a\u2FF0b", "C.7" },
        { "LEFT-TO-RIGHT MARK", "a\u200Eb", "C.8" },
        { "language tag", "a\U000E0001b", "C.9" },
        { "mixed right-to-left and left-to-right", "\u0627a\u0628", "D.2" },
        { "right-to-left not at the end", "\u0627\u0628a", "D.2" },
        { "unassigned in Unicode 3.2", "a\u0221b", "A.1" },
        { "emoji is unassigned in Unicode 3.2", "pw\U0001F600", "A.1" },
    };

    [Theory]
    [MemberData(nameof(Prepared))]
    public void Prepare_maps_and_normalizes(string name, string input, string expected)
    {
        Assert.False(string.IsNullOrEmpty(name));
        Assert.Equal(expected, SaslPrep.Prepare(input));
    }

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Prepare_rejects_with_a_message_naming_the_rule(string name, string input, string fragment)
    {
        Assert.False(string.IsNullOrEmpty(name));
        var ex = Assert.ThrowsAny<ArgumentException>(() => SaslPrep.Prepare(input));
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Lone_surrogates_are_rejected(int which)
    {
        // Built here: lone surrogates do not survive test-case serialisation.
        var input = which switch
        {
            0 => "a" + '\uD800' + "b",
            1 => "a" + '\uDC00',
            _ => '\uDBFF'.ToString(),
        };

        var ex = Assert.Throws<ArgumentException>(() => SaslPrep.Prepare(input));
        Assert.Contains("C.5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Query_variant_allows_unassigned_code_points()
    {
        Assert.Equal("a\u0221b", SaslPrep.Prepare("a\u0221b", allowUnassigned: true));
        Assert.Throws<ArgumentException>(() => SaslPrep.Prepare("a\u0221b", allowUnassigned: false));
    }

    [Fact]
    public void Error_message_does_not_echo_the_input()
    {
        var ex = Assert.Throws<ArgumentException>(() => SaslPrep.Prepare("VerySecretPassword\u0007"));
        Assert.DoesNotContain("VerySecretPassword", ex.Message, StringComparison.Ordinal);
        Assert.Contains("U+0007", ex.Message, StringComparison.Ordinal);
    }
}
