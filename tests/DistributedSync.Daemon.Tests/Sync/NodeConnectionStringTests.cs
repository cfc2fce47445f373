using DistributedSync.Daemon.Sync;

namespace DistributedSync.Daemon.Tests.Sync;

public sealed class NodeConnectionStringTests
{
    [Theory]
    [InlineData("mongodb://127.0.0.1:27017")]
    [InlineData("mongodb://127.0.0.1:27017/")]
    [InlineData("mongodb://127.0.0.1:27017/?appName=x")]
    [InlineData("mongodb://127.0.0.1:27017/?")]
    [InlineData("mongodb://root:pa%3Fss@127.0.0.1:27017/admin?authSource=admin&connectTimeoutMS=1000")]
    public void WithoutSocketTimeout_GetsTheDefault_AndKeepsEverythingElse(string uri)
    {
        var original = DistributedSync.Mongo.Configuration.MongoConnectionString.Parse(uri);

        var result = NodeConnectionString.WithDefaults(uri);

        Assert.Equal(NodeConnectionString.DefaultSocketTimeout, result.SocketTimeout);
        Assert.Equal(original.Hosts, result.Hosts);
        Assert.Equal(original.Username, result.Username);
        Assert.Equal(original.ConnectTimeout, result.ConnectTimeout);
        Assert.Equal(original.AppName, result.AppName);
    }

    [Theory]
    [InlineData("mongodb://127.0.0.1:27017/?socketTimeoutMS=500")]
    [InlineData("mongodb://127.0.0.1:27017/?SOCKETTIMEOUTMS=0")]
    public void AnExplicitSocketTimeout_IsKept(string uri)
    {
        var result = NodeConnectionString.WithDefaults(uri);

        Assert.Equal(DistributedSync.Mongo.Configuration.MongoConnectionString.Parse(uri).SocketTimeout, result.SocketTimeout);
        Assert.NotEqual(NodeConnectionString.DefaultSocketTimeout, result.SocketTimeout);
    }
}
