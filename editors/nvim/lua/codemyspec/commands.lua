-- :CodeMySpec {subcommand} [arg]: dispatch and completion.
local M = {}

local function cm()
  return require('codemyspec')
end

local function session_ids()
  local ids = {}
  for id in pairs(require('codemyspec.state').sessions) do
    ids[#ids + 1] = id
  end
  table.sort(ids)
  return ids
end

--- Context names already designed in the workspace (file names of the design dir), a hint.
local function known_contexts()
  local root = vim.fs.root(0, { '.codemyspec' })
  if not root then
    return {}
  end
  local names = {}
  for _, path in ipairs(vim.fn.glob(root .. '/docs/design/**/*.md', false, true)) do
    local stem = vim.fn.fnamemodify(path, ':t:r')
    names[#names + 1] = (stem:gsub('_(%l)', string.upper):gsub('^%l', string.upper))
  end
  table.sort(names)
  return vim.fn.uniq(names)
end

-- Each subcommand calls the function of the same name in require('codemyspec') with its
-- optional argument; complete lists what that argument can be.
-- `rest`: the argument is everything after the subcommand (a context name with a space in
-- it reaches the name check whole, and is refused there with the server's reason).
M.subcommands = {
  start = { complete = known_contexts, rest = true },
  next = { complete = session_ids },
  run = { complete = session_ids },
  sessions = {},
  show = { complete = session_ids },
  cancel = { complete = session_ids },
  agents = {},
  graph = {},
}

---@param args table the user command's args (fargs)
function M.dispatch(args)
  local name, arg = args.fargs[1], args.fargs[2]
  local sub = name and M.subcommands[name]
  if not sub then
    local names = vim.tbl_keys(M.subcommands)
    table.sort(names)
    vim.notify(
      ('CodeMySpec: unknown subcommand %s; one of: %s'):format(
        vim.inspect(name),
        table.concat(names, ', ')
      ),
      vim.log.levels.ERROR
    )
    return
  end
  if sub.rest then
    arg = table.concat(vim.list_slice(args.fargs, 2), ' ')
  elseif #args.fargs > 2 then
    vim.notify(
      ('CodeMySpec: %s takes at most one argument, got: %s'):format(
        name,
        table.concat(vim.list_slice(args.fargs, 2), ' ')
      ),
      vim.log.levels.ERROR
    )
    return
  end
  cm()[name](arg)
end

---@param arglead string
---@param cmdline string
---@return string[]
function M.complete(arglead, cmdline)
  local words = vim.split(cmdline, '%s+', { trimempty = true })
  local typing_new = cmdline:match('%s$') ~= nil
  local position = #words + (typing_new and 1 or 0) -- 2: subcommand, 3: its argument
  local candidates = {}
  if position <= 2 then
    candidates = vim.tbl_keys(M.subcommands)
    table.sort(candidates)
  elseif position == 3 then
    local sub = M.subcommands[words[2]]
    candidates = sub and sub.complete and sub.complete() or {}
  end
  return vim.tbl_filter(function(c)
    return vim.startswith(c, arglead)
  end, candidates)
end

return M
