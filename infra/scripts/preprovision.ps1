# azd's preprovision hook on Windows (azure.yaml): the same as preprovision.sh.
$ErrorActionPreference = 'Stop'

$missing = @('BLOG_URL', 'ALLOWED_ORIGINS') | Where-Object { -not [Environment]::GetEnvironmentVariable($_) }
if ($missing) {
    Write-Error ("Set these first (see infra/README.md):`n" + (($missing | ForEach-Object { "  azd env set $_ <value>" }) -join "`n"))
}
if ($env:ALLOWED_ORIGINS.Contains('*')) {
    Write-Error "ALLOWED_ORIGINS must name the blog's origins; a wildcard is refused."
}

foreach ($name in @('ADMIN_API_KEY', 'LINK_SIGNING_KEY')) {
    if (-not [Environment]::GetEnvironmentVariable($name)) {
        $key = [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(32)).ToLowerInvariant()
        azd env set $name $key | Out-Null
        Write-Host "Made $name (read it with: azd env get-value $name)"
    }
}
