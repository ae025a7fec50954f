-- :CodeMySpec agents lists the presets (found or not, version) and writes the chosen one to
-- config.toml; starting with a selected agent that is not installed warns and offers to
-- start anyway or choose another (chosen here: a fake `claude` on PATH); :checkhealth names
-- the selected agent and the store (the report is printed for pytest).
local H = dofile(os.getenv('CMS_TEST_HELPERS'))

H.main(function()
  local client = H.session({ execution_mode = 'manual' })
  local state = require('codemyspec.state')
  local answers = {} -- per kind: a function(items) -> the item to choose
  local shown = {} -- per kind: what the person saw last
  H.answer(function(items, opts)
    local lines = { opts.prompt }
    for _, item in ipairs(items) do
      lines[#lines + 1] = opts.format_item(item)
    end
    shown[opts.kind] = lines
    return answers[opts.kind] and answers[opts.kind](items)
  end)
  local function by_name(name)
    return function(items)
      return vim.iter(items):find(function(i)
        return i.name == name
      end)
    end
  end
  local function by_id(id)
    return function(items)
      return vim.iter(items):find(function(i)
        return i.id == id
      end)
    end
  end

  local function info()
    return H.execute(client, 'codemyspec/workspaceInfo', vim.empty_dict())
  end

  -- Choose codex (not installed): written to config.toml, the custom command commented out.
  answers['codemyspec.agents'] = by_name('codex')
  local chosen
  require('codemyspec').agents(nil, function(err, name)
    chosen = err or name
  end)
  H.wait(30000, function()
    return chosen ~= nil
  end, 'the agents list')
  H.check(chosen == 'codex', 'chosen: ' .. tostring(chosen))
  io.stdout:write('LISTED:\n', table.concat(shown['codemyspec.agents'], '\n'), '\nEND LISTED\n')
  local config = table.concat(vim.fn.readfile(vim.fs.joinpath(H.workspace, '.codemyspec/config.toml')), '\n')
  io.stdout:write('CONFIG:\n', config, '\nEND CONFIG\n')
  H.wait(20000, function()
    return info().agent.name == 'codex'
  end, 'the server to read the chosen preset')

  -- Start: codex is not found; first "do not start", then "choose another" -> claude.
  answers['codemyspec.ask'] = by_id('stop')
  local declined = H.said_after('CodeMySpec start Orders')
  H.check(shown['codemyspec.ask'] ~= nil, 'no warning: ' .. declined)
  io.stdout:write('WARNED: ', shown['codemyspec.ask'][1], '\n')
  H.check(declined:find('not started', 1, true) ~= nil, 'declining said: ' .. declined)
  H.check(state.current == nil, 'a session started although declined')
  answers['codemyspec.ask'] = by_id('pick')
  answers['codemyspec.agents'] = by_name('claude')
  vim.cmd('CodeMySpec start Orders')
  H.wait(30000, function()
    return state.current ~= nil
  end, 'the session after choosing claude')
  H.check(info().agent.name == 'claude' and info().agent.found, vim.inspect(info().agent))
  H.print_health()
  H.pass('agents')
end)
