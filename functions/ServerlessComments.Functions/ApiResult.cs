using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace ServerlessComments.Functions;

/// <summary>
/// The shared API answers with <see cref="IResult"/>; the Functions ASP.NET Core integration
/// executes only <see cref="IActionResult"/>, so this runs the one as the other.
/// </summary>
internal sealed class ApiResult(IResult result) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);

    public static async Task<IActionResult> From(Task<IResult> answer) => new ApiResult(await answer);
}
