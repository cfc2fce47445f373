using DistributedSync.Bson;
using DistributedSync.Daemon.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DistributedSync.Daemon.Http;

/// <summary><c>GET /status</c>: the cluster as the engine sees it.</summary>
internal static class StatusEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapGet("/status", GetAsync);

    /// <summary>The <c>/status</c> body for <paramref name="status"/>; node URIs are redacted.</summary>
    public static BsonDocument ToDocument(ClusterStatus status)
    {
        var nodes = new BsonArray();
        foreach (var node in status.Nodes)
        {
            var entry = new BsonDocument
            {
                { "id", node.Id },
                { "name", node.Name },
                { "uri", node.Uri.ToString() },
                { "alive", node.Alive },
                { "role", RoleName(node.Role) },
                { "term", node.Term },
                { "applied", ApiResponses.Position(node.Applied) },
                { "lagOps", node.LagOps },
                { "state", node.State },
            };
            if (node.Role == NodeRole.Resyncing && node.Resync is { } resync)
            {
                entry.Add("resync", new BsonDocument
                {
                    { "copied", resync.Copied },
                    { "total", resync.Total },
                    { "rate", Math.Round(resync.Rate, 1) },
                    { "etaSeconds", resync.EtaSeconds is { } eta ? new BsonDouble(Math.Round(eta, 1)) : BsonNull.Value },
                });
            }

            nodes.Add(entry);
        }

        return new BsonDocument
        {
            { "term", status.Term },
            { "masterId", status.MasterId is int id ? id : BsonNull.Value },
            { "nodes", nodes },
        };
    }

    /// <summary>The role as written in <c>/status</c>.</summary>
    public static string RoleName(NodeRole role) => role switch
    {
        NodeRole.Master => "master",
        NodeRole.Slave => "slave",
        NodeRole.Resyncing => "resyncing",
        NodeRole.RollingBack => "rollingBack",
        _ => "down",
    };

    private static Task GetAsync(HttpContext context)
    {
        QueryParameters.CheckAllowed(context.Request.Query, []);
        var engine = context.RequestServices.GetRequiredService<ISyncEngine>();
        return ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, ToDocument(engine.GetStatus()));
    }
}
