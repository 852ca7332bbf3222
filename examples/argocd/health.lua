-- Argo CD health of a ModelDeployment (modelrollout.io/v1alpha1), from its status:
--   Progressing  no status yet, status older than the spec (observedGeneration behind),
--                or phase Initializing / Progressing
--   Suspended    phase Paused (a pause step, a pause action, spec.paused, or gates that cannot
--                be measured)
--   Degraded     phase RolledBack or Degraded, or the InvalidSpec condition is True
--   Healthy      phase Healthy
-- Lua 5.1 (Argo CD runs gopher-lua).
local hs = {}

local function condition(status, ctype)
  if status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == ctype then
      return c
    end
  end
  return nil
end

local function message(status, fallback)
  if status.message ~= nil and status.message ~= "" then
    return status.message
  end
  return fallback
end

local status = obj.status
if status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe the ModelDeployment"
  return hs
end

local generation = obj.metadata.generation
if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation)
  return hs
end

local invalid = condition(status, "InvalidSpec")
if invalid ~= nil and invalid.status == "True" then
  hs.status = "Degraded"
  hs.message = invalid.message or message(status, "Invalid spec")
  return hs
end

local phase = status.phase
if phase == "Healthy" then
  hs.status = "Healthy"
  hs.message = message(status, "Serving the stable version")
elseif phase == "Paused" then
  hs.status = "Suspended"
  hs.message = message(status, "Rollout paused")
elseif phase == "RolledBack" or phase == "Degraded" then
  hs.status = "Degraded"
  local degraded = condition(status, "Degraded")
  if degraded ~= nil and degraded.message ~= nil then
    hs.message = message(status, degraded.message)
  else
    hs.message = message(status, "Rolled back")
  end
elseif phase == "Initializing" or phase == "Progressing" or phase == nil then
  hs.status = "Progressing"
  hs.message = message(status, "Rollout in progress")
else
  hs.status = "Unknown"
  hs.message = "Unknown phase " .. tostring(phase)
end
return hs
