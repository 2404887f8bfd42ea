// Parameters of main.bicep. Every value comes from an environment variable, so that `azd up`
// (which sets the azd environment's values as variables) and a plain
// `az deployment group create -p infra/main.bicepparam` read the same ones, and no value of a
// blog, let alone a secret, is written in the repository. infra/README.md lists the variables.
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'comments')

param blog = {
  url: readEnvironmentVariable('BLOG_URL')
  siteName: readEnvironmentVariable('BLOG_NAME', 'Blog')
  language: readEnvironmentVariable('BLOG_LANGUAGE', 'en') == 'fr' ? 'fr' : 'en'
  ownerEmail: readEnvironmentVariable('OWNER_EMAIL', '')
  fromEmail: readEnvironmentVariable('FROM_EMAIL', '')
  fromName: readEnvironmentVariable('FROM_NAME', '')
}

// Comma-separated origins of the blog, e.g. "https://blog.example.com,https://www.example.com".
param allowedOrigins = map(split(readEnvironmentVariable('ALLOWED_ORIGINS'), ','), origin => trim(origin))

var moderation = readEnvironmentVariable('MODERATION_MODE', 'first-time')
param moderationMode = moderation == 'none' ? 'none' : moderation == 'all' ? 'all' : 'first-time'

// 512, 2048 (the default) or 4096 MB an instance; see the cost estimate in infra/README.md.
var instanceMemory = readEnvironmentVariable('INSTANCE_MEMORY_MB', '2048')
param instanceMemoryMB = instanceMemory == '512' ? 512 : instanceMemory == '4096' ? 4096 : 2048
param maximumInstanceCount = int(readEnvironmentVariable('MAXIMUM_INSTANCE_COUNT', '40'))

// Secrets: the admin key and the link-signing key are required (azure.yaml's preprovision hook
// makes both once per azd environment); SendGrid and Akismet are optional.
param adminApiKey = readEnvironmentVariable('ADMIN_API_KEY')
param linkSecret = readEnvironmentVariable('LINK_SIGNING_KEY')
param sendGridApiKey = readEnvironmentVariable('SENDGRID_API_KEY', '')
param akismetApiKey = readEnvironmentVariable('AKISMET_API_KEY', '')
