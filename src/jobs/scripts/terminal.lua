-- An item's stored state is terminal once completed, failed or cancelled.
local function terminal(encoded)
  if not encoded then return false end
  local status = cjson.decode(encoded).status
  return status == 'completed' or status == 'failed' or status == 'cancelled'
end
