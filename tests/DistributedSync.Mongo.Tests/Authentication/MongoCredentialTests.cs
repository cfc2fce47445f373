using DistributedSync.Mongo.Authentication;
using Xunit;

namespace DistributedSync.Mongo.Tests.Authentication;

public sealed class MongoCredentialTests
{
    private const string Secret = "Tr0ub4dor&3-horse";

    [Fact]
    public void ToString_and_formatting_never_show_the_password()
    {
        var credential = new MongoCredential("alice", Secret, "admin", MongoAuthMechanisms.ScramSha256);

        Assert.DoesNotContain(Secret, credential.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, $"{credential}", StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0}", credential), StringComparison.Ordinal);
        Assert.Contains("****", credential.ToString(), StringComparison.Ordinal);
        Assert.Contains("alice", credential.ToString(), StringComparison.Ordinal);
        Assert.Equal(Secret, credential.Password);
    }

    [Fact]
    public void Secret_mechanism_properties_are_hidden()
    {
        var credential = new MongoCredential(
            "key", Secret, "$external", MongoAuthMechanisms.MongoDbAws,
            new Dictionary<string, string> { ["AWS_SESSION_TOKEN"] = "SessionT0kenValue" });

        Assert.DoesNotContain("SessionT0kenValue", credential.ToString(), StringComparison.Ordinal);
        Assert.Equal("SessionT0kenValue", credential.MechanismProperties["aws_session_token"]);
    }

    [Fact]
    public void Without_password_says_none()
    {
        var credential = new MongoCredential(null, null, "$external", MongoAuthMechanisms.MongoDbX509);

        Assert.Contains("Password = (none)", credential.ToString(), StringComparison.Ordinal);
    }
}
