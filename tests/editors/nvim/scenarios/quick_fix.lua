-- Issue 15 item 5 in a real Neovim: the design (CMS_TEST_FILE) lost its `## State Management
-- Strategy` heading, so its paragraph sits under Public API and CMS101 says the section is
-- missing. The quick fix chosen as a person does (vim.lsp.buf.code_action on the title line)
-- puts the heading back above that paragraph, and CMS101 goes; undone, Fix All
-- (source.fixAll) does the same. Both leave the buffer as CMS_TEST_WHOLE (the design before
-- the heading was deleted).
local H = dofile(os.getenv('CMS_TEST_HELPERS'))

local HEADING = '## State Management Strategy'
local PARAGRAPH = 'Products and stock live in the database.'

H.main(function()
  local _, buf = H.session(nil, assert(os.getenv('CMS_TEST_FILE')))
  local whole = table.concat(vim.fn.readfile(assert(os.getenv('CMS_TEST_WHOLE'))), '\n')
  local function text()
    return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
  end
  local function missing()
    return vim.list_contains(H.codes(buf), 'CMS101@0')
  end
  local orphaned = text()
  H.check(not orphaned:find(HEADING, 1, true), 'the heading is still there')

  --- Apply the one code action `keep` selects, from the title line where CMS101 is, and
  --- check what it did to the buffer and to the diagnostics.
  local function apply(what, opts)
    H.wait(30000, missing, 'CMS101 on the orphaned design: ' .. table.concat(H.codes(buf), ' '))
    vim.api.nvim_win_set_cursor(0, { 1, 0 })
    local tick = vim.b[buf].changedtick
    vim.lsp.buf.code_action(vim.tbl_extend('force', { apply = true }, opts))
    H.wait(H.patience(5), function()
      return vim.b[buf].changedtick ~= tick
    end, what .. ' to edit the buffer')
    local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
    for i, line in ipairs(lines) do
      if vim.startswith(line, PARAGRAPH) then
        H.check(lines[i - 1] == HEADING, what .. ': above the paragraph stands ' .. vim.inspect(lines[i - 1]))
      end
    end
    H.check(text() == whole, what .. ' left:\n' .. text())
    H.wait(30000, function()
      return not missing()
    end, 'CMS101 to go after ' .. what .. ': ' .. table.concat(H.codes(buf), ' '))
    io.stdout:write(what:upper(), ' CODES: ', table.concat(H.codes(buf), ' '), '\n')
  end

  apply('the quick fix', {
    filter = function(action)
      return action.title == "Restore heading 'State Management Strategy' above its paragraph"
    end,
  })
  vim.cmd('silent undo')
  H.check(text() == orphaned, 'undo did not bring the orphaned design back')
  apply('fix all', { context = { only = { 'source.fixAll' }, diagnostics = {} } })
  H.pass('quick fix')
end)
