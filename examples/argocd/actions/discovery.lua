-- Which ModelDeployment actions Argo CD offers now. Each action sets the annotation
-- modelrollout.io/action; the operator applies it once and removes it.
local actions = {}
local status = obj.status
local phase = nil
local rollout = false
local userPaused = false
if status ~= nil then
  phase = status.phase
  rollout = status.canary ~= nil
  userPaused = status.userPaused == true
end
local paused = phase == "Paused" or userPaused
actions["promote"] = {["disabled"] = not rollout}
actions["promote-full"] = {["disabled"] = not rollout}
actions["abort"] = {["disabled"] = not rollout}
actions["retry"] = {["disabled"] = phase ~= "RolledBack"}
actions["pause"] = {["disabled"] = paused}
actions["resume"] = {["disabled"] = not paused}
return actions
