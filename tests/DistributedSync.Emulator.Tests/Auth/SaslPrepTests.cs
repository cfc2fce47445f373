using DistributedSync.Emulator.Auth;
using Xunit;

namespace DistributedSync.Emulator.Tests.Auth;

public sealed class SaslPrepTests
{
    [Theory]
    // RFC 4013 section 3 examples.
    [InlineData("I\u00ADX", "IX")]
    [InlineData("user", "user")]
    [InlineData("USER", "USER")]
    [InlineData("\u00AA", "a")]
    [InlineData("\u2168", "IX")]
    // Non-ASCII spaces become U+0020; zero-width characters disappear.
    [InlineData("a\u00A0b\u3000c", "a b c")]
    [InlineData("pass\u200Bword", "password")]
    [InlineData("\u0627\u0628", "\u0627\u0628")]
    public void Strings_are_prepared_as_RFC_4013_says(string input, string expected)
        => Assert.Equal(expected, SaslPrep.Prepare(input));

    [Theory]
    [InlineData("\u0007")] // ASCII control
    [InlineData("a\u0085")] // non-ASCII control
    [InlineData("\uE000")] // private use
    [InlineData("\u0627\u0031")] // RandALCat string not ending in RandALCat
    [InlineData("\u0627a\u0628")] // RandALCat mixed with LCat
    public void Prohibited_strings_are_rejected(string input)
        => Assert.Throws<ArgumentException>(() => SaslPrep.Prepare(input));
}
