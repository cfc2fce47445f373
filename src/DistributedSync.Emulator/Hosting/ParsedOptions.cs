using DistributedSync.Bson;

namespace DistributedSync.Emulator.Hosting;

/// <summary>Renders <see cref="EmulatorOptions"/> in mongod's nested <c>getCmdLineOpts.parsed</c> form.</summary>
internal static class ParsedOptions
{
    public static BsonDocument ToDocument(EmulatorOptions options)
    {
        var parsed = new BsonDocument();
        if (options.ConfigPath is not null)
        {
            parsed.Add("config", options.ConfigPath);
        }

        var net = new BsonDocument();
        if (options.BindIpAll)
        {
            net.Add("bindIpAll", true);
        }
        else
        {
            net.Add("bindIp", string.Join(",", options.BindIp));
        }

        net.Add("port", options.Port);
        parsed.Add("net", net);
        if (options.Auth)
        {
            parsed.Add("security", new BsonDocument("authorization", "enabled"));
        }

        var storage = new BsonDocument("dbPath", options.DbPath);
        if (options.SyncEveryCommit)
        {
            storage.Add("syncEveryCommit", true);
        }

        parsed.Add("storage", storage);
        var log = new BsonDocument();
        if (options.LogPath is not null)
        {
            log.Add("destination", "file").Add("logAppend", true).Add("path", options.LogPath);
        }

        if (options.Quiet)
        {
            log.Add("quiet", true);
        }

        if (log.Count > 0)
        {
            parsed.Add("systemLog", log);
        }

        if (options.User is not null)
        {
            parsed.Add("emulator", new BsonDocument { { "user", options.User }, { "password", "<password>" } });
        }

        return parsed;
    }
}
