// The Function App on a Flex Consumption (FC1) plan: Linux, .NET isolated worker, scale to zero.
// It runs as the user-assigned identity alone (no system identity, no keys): the deployment
// package is read from blob storage with it and Key Vault references are resolved with it.
// HTTPS only, TLS 1.2 or later, basic-auth publishing off, platform CORS limited to the blog's
// origins. The app settings are set by appsettings.bicep.
//
// siteConfig holds only what Flex Consumption accepts: Flex sites refuse ftpsState (Flex has no
// FTP), use32BitWorkerProcess, netFrameworkVersion, linuxFxVersion, functionAppScaleLimit,
// preWarmedInstanceCount, functionsRuntimeScaleMonitoringEnabled and the like with ARM error 51021;
// the runtime and the scale limits are in functionAppConfig instead. The deployment tests keep the
// list and its sources (SecurityPostureTests.SiteConfigFlexRejects).

import { tagsType } from 'types.bicep'

@description('Name of the Flex Consumption plan.')
param planName string

@description('Name of the Function App; its host name is <name>.azurewebsites.net.')
param name string

@description('Azure region.')
param location string

@description('Tags for the plan.')
param tags tagsType

@description('azd service name, tagged on the app so that `azd deploy` finds it.')
param serviceName string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('URL of the blob container that holds the deployment package.')
param deploymentContainerUrl string

@description('Memory of each instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Most on-demand instances each function group (all HTTP functions, each queue trigger, the timer) scales out to; not a ceiling for the app.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Origins (scheme://host[:port]) allowed to call the API from a browser. No wildcard.')
@minLength(1)
param allowedOrigins string[]

// A wildcard would let any site call the API with its readers' browsers: refuse it outright.
var wildcardOrigins = filter(allowedOrigins, origin => contains(origin, '*'))
var corsOrigins = empty(wildcardOrigins)
  ? allowedOrigins
  : fail('allowedOrigins must name the blog\'s origins; a wildcard is refused: ${join(wildcardOrigins, ', ')}')

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    publicNetworkAccess: 'Enabled'
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      http20Enabled: true
      cors: {
        allowedOrigins: corsOrigins
        supportCredentials: false
      }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// No publishing with a user name and password: deployments authenticate with Entra ID. ARM refuses
// these policies without a location (error 51008), which Bicep's type for them lacks (Azure/bicep-
// types-az#1317, #1526, #1571): they take the site's, and BCP187 ("might still be valid") is
// silenced for that one line each, the only suppression in infra/ (the deployment tests hold it so).
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'ftp'
  #disable-next-line BCP187
  location: location
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'scm'
  #disable-next-line BCP187
  location: location
  properties: {
    allow: false
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
