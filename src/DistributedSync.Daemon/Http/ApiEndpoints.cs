using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace DistributedSync.Daemon.Http;

/// <summary>Registers the HTTP API (see the daemon's README for the contract).</summary>
public static class ApiEndpoints
{
    /// <summary>Adds the error handling middleware; call before routing.</summary>
    public static IApplicationBuilder UseApiErrors(this IApplicationBuilder app)
        => app.UseMiddleware<ApiErrorMiddleware>();

    /// <summary>Maps every route: <c>/status</c>, <c>/collections/...</c>, <c>/set</c>, <c>/get/{key}</c>.</summary>
    public static IEndpointRouteBuilder MapDistributedSyncApi(this IEndpointRouteBuilder routes)
    {
        StatusEndpoint.Map(routes);
        DocumentEndpoints.Map(routes);
        KeyValueEndpoints.Map(routes);
        return routes;
    }
}
